/**
 * graphc board's HTTP server (node:http): the page, its scripts, the views'
 * JSON and live events, and the files of run folders — read-only, only under
 * the folders it was given. A loopback board answers only to localhost names
 * (a web page elsewhere cannot reach it by DNS tricks); a board on another
 * address needs its token on every request (the address it prints carries
 * it once, a cookie then). A request that fails is answered with its
 * diagnostic and the server goes on.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { diagnostic, fail, GraphcError, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { browserBuild, contentType, pageAssets, VENDOR_PACKAGES } from './assets.js';
import { boardRoots, decodeSegments, isRefused, locate, locateFile, type BoardRoot, type Located, type Refused } from './paths.js';
import { BoardIndex } from './scan.js';
import { graphPicture } from './specs.js';
import { EventStream } from './stream.js';
import { VIEWS } from './views/index.js';
import { runEntry, specSourceOf } from './views/shared.js';
import { NotHere, type BoardContext, type BoardView, type ViewRequest } from './views/view.js';

export const DEFAULT_PORT = 6006;
export const MIN_TOKEN_LENGTH = 16;
const COOKIE = 'graphc_board_token';

export interface BoardOptions {
  readonly folders: readonly string[];
  readonly host?: string;
  /** The first port tried; 0 lets the system choose. */
  readonly port?: number;
  /** How many ports from `port` on are tried when one is taken. */
  readonly portAttempts?: number;
  /** Required on every request when set. */
  readonly token?: string;
  /** How often folders are looked at besides fs.watch, in ms. */
  readonly pollMs?: number;
  /** Where the server reports its own failures (a request's internal error). */
  readonly log?: (line: string) => void;
}

export interface RunningBoard {
  readonly host: string;
  readonly port: number;
  /** The address to open: with ?token=… when the board has one. */
  readonly url: string;
  readonly token?: string;
  readonly roots: readonly BoardRoot[];
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startBoard(options: BoardOptions): Promise<RunningBoard> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) fail('GC782', { length: token.length, min: MIN_TOKEN_LENGTH });
  const roots = boardRoots(options.folders);
  const ctx: BoardContext = { roots, index: new BoardIndex(roots), pollMs: options.pollMs ?? 1000 };
  const assets = pageAssets();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const streams = new Set<EventStream>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`graphc board: ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) answer(response, 500, problem(request.url ?? '', error instanceof Error ? error.message : String(error)));
      else response.end();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? '/';
    const mark = raw.indexOf('?');
    // The raw path, not new URL()'s: URL would resolve '..' and '%2e%2e' before they could be refused.
    const path = mark === -1 ? raw : raw.slice(0, mark);
    const query = new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1));
    setCommonHeaders(response);
    if (token === undefined && isLoopback(host) && !localHostHeader(request.headers.host)) {
      return answer(response, 403, diagnostic('GC787', { host: request.headers.host ?? '' }));
    }
    if (token !== undefined) {
      const given = query.get('token') ?? bearer(request.headers.authorization) ?? cookie(request.headers.cookie, COOKIE);
      if (given === undefined || !sameToken(given, token)) {
        response.setHeader('www-authenticate', 'Bearer realm="graphc board"');
        return answer(response, 401, diagnostic('GC786', {}));
      }
      if (query.get('token') !== null) response.setHeader('set-cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return answer(response, 405, diagnostic('GC788', { method: request.method ?? '' }));
    }
    if (path === '/' || path === '/index.html') return sendFile(request, response, assets.get('index.html')!, { cache: false });
    const [, area = '', ...rest] = path.split('/');
    const remainder = rest.join('/');
    const segments = decodeSegments(remainder);
    if (isRefused(segments)) return refuse(response, segments, path);
    switch (area) {
      case 'assets': {
        const file = assets.get(segments.join('/'));
        return file ? sendFile(request, response, file, { cache: false }) : refuse(response, { refused: 404 }, path);
      }
      case 'vendor': {
        const name = VENDOR_PACKAGES[segments.join('/')];
        return name ? sendFile(request, response, browserBuild(name), { cache: true }) : refuse(response, { refused: 404 }, path);
      }
      case 'files': {
        const file = locateFile(roots, segments);
        if (isRefused(file)) return refuse(response, file, path);
        // A run folder's SVG may hold anything: it is shown, never run.
        response.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
        return sendFile(request, response, file.path, { cache: false });
      }
      case 'graph':
        return sendGraph(response, segments, path);
      case 'api':
      case 'events': {
        const [name, ...id] = segments;
        const view = VIEWS.find((v) => v.name === name);
        if (!view) return refuse(response, { refused: 404 }, path);
        const viewRequest = requestFor(view, id, query);
        if (isRefused(viewRequest)) return refuse(response, viewRequest, path);
        return area === 'api' ? sendData(response, view, viewRequest, path) : openStream(request, response, view, viewRequest, path);
      }
      default:
        return refuse(response, { refused: 404 }, path);
    }
  }

  function requestFor(view: BoardView, id: readonly string[], query: URLSearchParams): ViewRequest | Refused {
    let target: Located | undefined;
    if (view.takesTarget) {
      const found = locate(roots, id);
      if (isRefused(found)) return found;
      target = found;
    }
    const others: Located[] = [];
    for (const other of query.getAll('run')) {
      const segments = decodeSegments(other.split('/').map(encodeURIComponent).join('/'));
      if (isRefused(segments)) return segments;
      const found = locate(roots, segments);
      if (isRefused(found)) return found;
      others.push(found);
    }
    return { ...(target ? { target } : {}), others, query };
  }

  function sendData(response: ServerResponse, view: BoardView, request: ViewRequest, path: string): void {
    let data: unknown;
    try {
      data = view.data(ctx, request);
    } catch (error) {
      if (error instanceof NotHere) return refuse(response, { refused: 404 }, path);
      throw error;
    }
    const body = JSON.stringify(data);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  function openStream(request: IncomingMessage, response: ServerResponse, view: BoardView, viewRequest: ViewRequest, path: string): void {
    if (!view.stream) return refuse(response, { refused: 404 }, path);
    const events = new EventStream(request, response);
    streams.add(events);
    events.onClose(() => streams.delete(events));
    try {
      view.stream(ctx, viewRequest, events);
    } catch (error) {
      const d = error instanceof NotHere ? diagnostic('GC785', { path }) : problem(path, error instanceof Error ? error.message : String(error));
      events.send('gone', { message: `${d.code}: ${d.message}` });
      events.close();
    }
  }

  async function sendGraph(response: ServerResponse, segments: readonly string[], path: string): Promise<void> {
    const located = locate(roots, segments);
    if (isRefused(located)) return refuse(response, located, path);
    let svg: string | undefined;
    try {
      const entry = runEntry(ctx, located);
      const source = specSourceOf(ctx, located, entry);
      svg = source && entry.params ? await graphPicture(source, entry.params) : undefined;
    } catch (error) {
      if (!(error instanceof NotHere)) throw error;
    }
    if (svg === undefined) return refuse(response, { refused: 404 }, path);
    response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox" });
    response.end(svg);
  }

  const port = await listen(server, host, options.port ?? DEFAULT_PORT, options.portAttempts ?? 20);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? hostnameForUrl() : host;
  const address = `http://${shownHost}:${port}/`;
  return {
    host,
    port,
    url: token !== undefined ? `${address}?token=${encodeURIComponent(token)}` : address,
    ...(token !== undefined ? { token } : {}),
    roots,
    close: () =>
      new Promise<void>((resolve) => {
        for (const events of streams) events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A board on every address is reached by the machine's name. */
function hostnameForUrl(): string {
  return hostname();
}

/** Listens on the first free port from `first` on; GC781 when none of `attempts` is. */
function listen(server: Server, host: string, first: number, attempts: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let port = first;
    const last = first === 0 ? 0 : first + attempts - 1;
    const tryPort = (): void => {
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE' && port < last) {
        port++;
        tryPort();
        return;
      }
      const reason = error.code === 'EADDRINUSE' ? 'every one is in use' : error.code === 'EACCES' ? 'permission denied' : error.code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : error.message;
      reject(new GraphcError(diagnostic('GC781', { host, first, last, reason })));
    };
    tryPort();
  });
}

function setCommonHeaders(response: ServerResponse): void {
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-frame-options', 'DENY');
  // vega compiles its expressions with new Function: 'unsafe-eval' is its price; nothing is loaded from elsewhere.
  response.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  );
}

function problem(path: string, reason: string): Diagnostic {
  return diagnostic('GC789', { path, reason });
}

function refuse(response: ServerResponse, refused: Refused, path: string): void {
  answer(response, refused.refused, refused.refused === 403 ? diagnostic('GC784', { path, reason: refused.reason }) : diagnostic('GC785', { path }));
}

/** An error response: the diagnostic's code and message, as text. */
function answer(response: ServerResponse, status: number, d: Diagnostic): void {
  const body = `${d.code}: ${d.message}\n`;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function sendFile(request: IncomingMessage, response: ServerResponse, file: string, options: { cache: boolean }): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return refuse(response, { refused: 404 }, request.url ?? '');
  }
  response.writeHead(200, { 'content-type': contentType(file), 'content-length': size, 'cache-control': options.cache ? 'max-age=3600' : 'no-store' });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function localHostHeader(header: string | undefined): boolean {
  if (header === undefined) return false;
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
