// Where graphc's own modules are: in a checkout, the TypeScript sources (src/,
// run through tsx); in an installed package, which ships no src/, the
// compiled JavaScript (dist/, built by `npm run build`, run by `prepare`).
//
// The sources win whenever they are there, so that a developer who edits src/
// never runs a stale dist/: the tests spawn bin/graphc.js beside importing
// src/ directly, and a `pretest` build would be skipped by `npx vitest` and
// watch mode. GRAPHC_FROM=dist runs a checkout's build instead (to try it
// before packing); worker threads and child processes inherit the choice.
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);

export const fromSource = process.env.GRAPHC_FROM !== 'dist' && existsSync(new URL('src/', root));

/** The URL of one of graphc's modules, named by its path under src/ without the extension ('cli/main'). */
export function graphcModule(path) {
  if (!fromSource && !existsSync(new URL('dist/', root))) {
    throw new Error(`graphc: ${new URL('dist/', root).pathname} is missing: run npm run build`);
  }
  return new URL(fromSource ? `src/${path}.ts` : `dist/${path}.js`, root).href;
}
