// A module-resolution hook: generated modules import 'graphc/runtime', which
// must be this package's runtime wherever the module was written (--out-dir).
const targets = new Map([
  ['graphc/runtime', new URL('../src/runtime/index.ts', import.meta.url).href],
  ['graphc', new URL('../src/index.ts', import.meta.url).href],
]);

export async function resolve(specifier, context, nextResolve) {
  const url = targets.get(specifier);
  if (url) return nextResolve(url, context);
  return nextResolve(specifier, context);
}
