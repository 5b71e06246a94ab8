/**
 * The --queue URL (redis://[user][:password]@host[:port][/db], rediss:// for
 * TLS) and connections to it. A password never leaves this module except in
 * the options handed to the Redis client: everything printed names the URL
 * redacted. ioredis is loaded here only, by dynamic import, so that commands
 * without --queue never load it.
 */
import type { ConnectionOptions } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { fail } from '../../../common/diagnostics/diagnostic.js';

/** A parsed --queue: the client's options and the URL as it may be shown. */
export interface QueueTarget {
  /** The URL with its password replaced by '***'. */
  readonly display: string;
  readonly options: RedisOptions;
}

/** Seconds a command-line client tries to reach Redis before it says it cannot. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** The Redis keys graphc keeps beside BullMQ's (which live under `${PREFIX}:${QUEUE_NAME}:`). */
export const PREFIX = 'graphc';
export const QUEUE_NAME = 'trials';
export const keys = {
  /** trial id → JSON of a finished trial (TrialResult): the source of truth, written once (HSETNX). */
  results: `${PREFIX}:results`,
  /** trial id → how many times a worker finished running it (1, unless something went wrong). */
  completions: `${PREFIX}:completions`,
  /** trial id → its last failure's reason. */
  failures: `${PREFIX}:failures`,
  /** trial ids whose sweep was cancelled. */
  cancelled: `${PREFIX}:cancelled`,
  /** Every sweep name submitted. */
  sweeps: `${PREFIX}:sweeps`,
  /** The sweep's definition (sweep.json's JSON). */
  sweep: (name: string): string => `${PREFIX}:sweep:${name}`,
  /** One key a live worker, refreshed while it runs (JSON of WorkerInfo). */
  worker: (id: string): string => `${PREFIX}:worker:${id}`,
  workerPattern: `${PREFIX}:worker:*`,
};

/** Replaces the password of a URL-like string with '***' (whatever else it holds). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon < 0 ? `${scheme}${auth}@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}

export function parseQueueUrl(url: string): QueueTarget {
  const display = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('GC770', { url: display, problem: { kind: 'syntax' } });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return fail('GC770', { url: display, problem: { kind: 'scheme', scheme: parsed.protocol.replace(/:$/, '') } });
  }
  if (parsed.hostname === '') return fail('GC770', { url: display, problem: { kind: 'host' } });
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) return fail('GC770', { url: display, problem: { kind: 'db', db: dbText } });
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port,
    db,
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
  };
  return { display, options };
}

/** Options for a command-line client: it gives up after a few seconds instead of retrying for ever. */
export function cliOptions(target: QueueTarget): RedisOptions {
  return {
    ...target.options,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (times > 10 ? null : Math.min(200 * times, 1_000)),
  };
}

/** Options for a worker: it rides out a Redis restart, retrying every few seconds. */
export function workerOptions(target: QueueTarget): RedisOptions {
  return { ...target.options, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(500 * times, 5_000) };
}

/** Loads ioredis (only ever here). */
async function ioredis() {
  return import('ioredis');
}

/**
 * A connected client, or a diagnostic within seconds: GC771 when Redis cannot
 * be reached, GC772 when it refuses the password (or wants one).
 */
export async function connect(target: QueueTarget, options: RedisOptions = cliOptions(target)): Promise<Redis> {
  const { Redis } = await ioredis();
  // The first connection fails fast: no retries, no queued commands.
  const probe = new Redis({ ...target.options, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: unknown;
  probe.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await withTimeout(
      (async () => {
        await probe.connect();
        await probe.ping();
      })(),
      CONNECT_TIMEOUT_MS + 1_000,
    );
  } catch (error) {
    // ioredis rejects with 'Connection is closed' and reports why (WRONGPASS, ECONNREFUSED) as an 'error' event.
    throw connectionError(target, lastError ?? error);
  } finally {
    probe.disconnect();
  }
  const client = new Redis(options);
  client.on('error', () => {
    // Reconnection is the client's; a command that fails reports its own error.
  });
  return client;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The diagnostic for a failed connection (its reason scrubbed of the password). */
export function connectionError(target: QueueTarget, error: unknown): Error {
  const raw = error instanceof Error ? error.message : String(error);
  const password = target.options.password;
  const reason = password ? raw.split(password).join('***') : raw;
  try {
    if (/WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH/i.test(reason)) {
      fail('GC772', { url: target.display, reason, hasPassword: password !== undefined });
    }
    fail('GC771', { url: target.display, reason });
  } catch (diagnostic) {
    return diagnostic as Error;
  }
}


/** The same options as BullMQ's connection (BullMQ makes its own clients from them). */
export function bullConnection(options: RedisOptions): ConnectionOptions {
  return options as ConnectionOptions;
}
