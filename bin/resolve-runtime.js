// A module-resolution hook: generated modules import 'graphc/runtime', which
// must be this package's runtime (src/ or dist/, see layout.js) wherever the
// module was written (--out-dir), so that they share the CLI's tfjs instance.
import { graphcModule } from './layout.js';

const targets = new Map([
  ['graphc/runtime', graphcModule('runtime/index')],
  ['graphc', graphcModule('index')],
]);

export async function resolve(specifier, context, nextResolve) {
  const url = targets.get(specifier);
  if (url) return nextResolve(url, context);
  const resolved = await nextResolve(specifier, context);
  // Generated modules are ES modules wherever they are written, even outside a "type": "module" package.
  const generated = resolved.url.endsWith('.ts') && !resolved.url.includes('/node_modules/');
  return generated && resolved.format !== 'module' ? { ...resolved, format: 'module' } : resolved;
}
