/**
 * The page's files: its own HTML, JavaScript and CSS (board/ in the package,
 * beside templates/), and the browser builds of vega, vega-lite and
 * vega-embed, found in graphc's own node_modules — never fetched from the
 * internet, so the page works offline and matches the versions `graphc plot` uses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PAGE_DIR = fileURLToPath(new URL('../../../board/', import.meta.url));

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
  '.yml': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The page's files by their URL path under /assets/ ('views/run.js'): a fixed list, read when the server starts. */
export function pageAssets(dir = PAGE_DIR): Map<string, string> {
  const assets = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && CONTENT_TYPES[extname(entry.name)] !== undefined) assets.set(rel, join(dir, rel));
    }
  };
  walk('');
  return assets;
}

/** The vendored scripts the page loads, by their URL name under /vendor/. */
export const VENDOR_PACKAGES: Readonly<Record<string, string>> = {
  'vega.js': 'vega',
  'vega-lite.js': 'vega-lite',
  'vega-embed.js': 'vega-embed',
};

/**
 * A package's browser build: the file its package.json names under "unpkg"
 * (the minified UMD bundle, what a CDN would serve), found from where Node
 * resolves the package.
 */
export function browserBuild(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; unpkg?: string; jsdelivr?: string };
      const file = pkg.unpkg ?? pkg.jsdelivr;
      if (pkg.name === name && file !== undefined) return join(dir, file);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`graphc board: cannot find the browser build of ${name} (reinstall graphc's dependencies)`);
    dir = parent;
  }
}
