// A module-resolution hook: generated modules import 'graphc/runtime', which
// must be this package's runtime wherever the module was written (--out-dir).
const targets = new Map([
  ['graphc/runtime', new URL('../src/runtime/index.ts', import.meta.url).href],
  ['graphc', new URL('../src/index.ts', import.meta.url).href],
]);

export async function resolve(specifier, context, nextResolve) {
  const url = targets.get(specifier);
  if (url) return nextResolve(url, context);
  const resolved = await nextResolve(specifier, context);
  // Generated modules are ES modules wherever they are written, even outside a "type": "module" package.
  const generated = resolved.url.endsWith('.ts') && !resolved.url.includes('/node_modules/');
  return generated && resolved.format !== 'module' ? { ...resolved, format: 'module' } : resolved;
}
