/**
 * Live updates for the page: server-sent events (one long HTTP response of
 * `event:`/`data:` records that the browser's EventSource reads), and the
 * watching that feeds them — fs.watch on a folder where the platform offers
 * it, and a poll beside it, since fs.watch misses changes on some file
 * systems (network mounts, containers' overlays) and stops when its folder
 * is deleted.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { diagnostic } from '../../common/diagnostics/diagnostic.js';
import { MAX_METRICS_LINE_BYTES, METRICS_FILE, MetricsTail, type Evaluation, type SkippedMetricsLine } from '../../runtime/run_folder.js';

/** One page's event stream. */
export class EventStream {
  private readonly closers: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;
  closed = false;

  constructor(
    request: IncomingMessage,
    private readonly response: ServerResponse,
  ) {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // The browser reconnects on its own after a dropped connection; a second is soon enough.
    response.write('retry: 1000\n\n');
    // A comment now and then keeps proxies from closing a quiet stream.
    this.heartbeat = setInterval(() => this.response.write(': heartbeat\n\n'), 15_000);
    this.heartbeat.unref();
    request.on('close', () => this.close());
    response.on('error', () => this.close());
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs `fn` when the stream ends (the page went away, or the server closed it). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closers.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const fn of this.closers.splice(0)) fn();
    this.response.end();
  }
}

export interface WatchOptions {
  /** How often to look regardless of fs.watch, in ms. */
  readonly pollMs?: number;
}

/**
 * Calls `check` whenever something in the folders may have changed (fs.watch)
 * and every `pollMs` anyway; at most one call per event-loop turn. Returns
 * the function that stops watching.
 */
export function watchFolders(folders: readonly string[], check: () => void, options: WatchOptions = {}): () => void {
  let scheduled = false;
  const soon = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      check();
    });
  };
  const watchers: FSWatcher[] = [];
  for (const folder of folders) {
    try {
      const watcher = watch(folder, { persistent: false }, soon);
      // A folder deleted while watched: the poll carries on (and notices).
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Not there (yet), or no fs.watch here: the poll covers it.
    }
  }
  const poll = setInterval(soon, options.pollMs ?? 1000);
  poll.unref();
  return () => {
    clearInterval(poll);
    for (const watcher of watchers) watcher.close();
  };
}

/** The page's wording of a skipped metrics line: the catalogue's. */
export function skippedLineNote(folder: string, skipped: SkippedMetricsLine): string {
  const file = join(folder, METRICS_FILE);
  const d =
    skipped.problem === 'too_long'
      ? diagnostic('GC783', { file, line: skipped.line, bytes: skipped.bytes ?? 0, limit: MAX_METRICS_LINE_BYTES })
      : diagnostic('GC751', { file, line: skipped.line, problem: skipped.problem });
  return `${d.code}: ${d.message}`;
}

/** What a page told about one run's metrics hears. */
export type MetricsEvent =
  | { readonly kind: 'reset'; readonly evaluations: Evaluation[] }
  | { readonly kind: 'append'; readonly evaluations: Evaluation[] }
  | { readonly kind: 'note'; readonly message: string }
  | { readonly kind: 'gone'; readonly message: string };

/**
 * Follows a run's metrics.jsonl: the first call of the returned function
 * reports every evaluation so far ('reset'), later ones those added since
 * ('append'; 'reset' again if the file was rewritten shorter), lines skipped
 * ('note'), and the folder's deletion ('gone', after which it reports nothing).
 */
export function followMetrics(dir: string, shownAs: string, emit: (event: MetricsEvent) => void, maxLineBytes?: number): () => void {
  const tail = new MetricsTail(dir, maxLineBytes);
  let first = true;
  let gone = false;
  return () => {
    if (gone) return;
    const chunk = tail.read();
    if (chunk.missing && !existsSync(dir)) {
      gone = true;
      const d = diagnostic('GC785', { path: shownAs });
      emit({ kind: 'gone', message: `${d.code}: ${d.message}` });
      return;
    }
    if (first || chunk.restarted) emit({ kind: 'reset', evaluations: chunk.evaluations });
    else if (chunk.evaluations.length > 0) emit({ kind: 'append', evaluations: chunk.evaluations });
    first = false;
    for (const skipped of chunk.skipped) emit({ kind: 'note', message: skippedLineNote(shownAs, skipped) });
  };
}
