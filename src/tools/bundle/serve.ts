/**
 * `graphc serve DIR`: a static server for a bundled site on 127.0.0.1. It
 * sends COOP and COEP headers so the page is cross-origin isolated (what a
 * browser asks before it lends SharedArrayBuffer and high-resolution timers),
 * and serves only files under DIR.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fail } from '../../common/diagnostics/diagnostic.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface ServeOptions {
  readonly dir: string;
  readonly host?: string;
  readonly port?: number;
}

export interface Serving {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function checkSite(dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    return fail('GC843', { dir, reason: 'missing' });
  }
  if (!isDirectory) fail('GC843', { dir, reason: 'not_a_directory' });
  if (!isFile(join(dir, 'index.html'))) fail('GC843', { dir, reason: 'no_index' });
}

export async function serveSite(options: ServeOptions): Promise<Serving> {
  checkSite(options.dir);
  const root = resolve(options.dir);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-cache' };
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://site').pathname);
    } catch {
      response.writeHead(400, headers).end('bad path');
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if ((file !== root && !file.startsWith(root + sep)) || !isFile(file) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, headers).end('not found');
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  const port = options.port ?? 8080;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error));
    server.listen(port, host, () => resolvePromise());
  }).catch((error: NodeJS.ErrnoException) => fail('GC844', { host, port, reason: error.code === 'EADDRINUSE' ? 'the port is in use' : error.message }));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${actual}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
