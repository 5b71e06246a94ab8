/**
 * The lock a run holds on its folder for as long as it runs: `run.lock`, the
 * JSON {pid, host, startedAt}, created exclusively (O_EXCL), so two runs given
 * the same --out cannot both write into it. Readers (a dashboard showing which
 * runs are live) read the same file with readRunLock. A lock whose process is
 * gone (same host, no such pid) is stale and is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fail } from '../common/diagnostics/diagnostic.js';
import { describeFsError, makeDirectories } from '../common/fs.js';

export const LOCK_FILE = 'run.lock';

export interface RunLockInfo {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

export interface RunLock {
  readonly dir: string;
  readonly info: RunLockInfo;
  /** Removes the lock file (only if it is still this run's); safe to call twice. */
  release(): void;
}

/** DIR/run.lock's contents, or undefined when there is none (or it is not a lock). */
export function readRunLock(dir: string): RunLockInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, startedAt } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || typeof host !== 'string' || typeof startedAt !== 'string') return undefined;
  return { pid, host, startedAt };
}

/** Whether a lock's run is known to be gone: it was taken on this host and its process no longer exists. */
export function isStale(lock: Pick<RunLockInfo, 'pid' | 'host'>): boolean {
  if (lock.host !== hostname()) return false;
  if (lock.pid === process.pid) return false;
  try {
    process.kill(lock.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes DIR's lock, creating DIR: GC714 naming the holder when a live run has
 * it, GC713 when DIR is a file or cannot be written. A stale lock is taken
 * over, with `note` told whose it was.
 */
export function acquireRunLock(dir: string, note: (line: string) => void = () => {}): RunLock {
  try {
    makeDirectories(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return fail('GC713', { dir, kind: 'not_a_folder' });
    return fail('GC713', { dir, kind: 'not_writable', fsError: describeFsError(error) });
  }
  if (!statSync(dir).isDirectory()) return fail('GC713', { dir, kind: 'not_a_folder' });
  const path = join(dir, LOCK_FILE);
  const info: RunLockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return fail('GC713', { dir, kind: 'not_writable', fsError: describeFsError(error) });
      const held = readRunLock(dir);
      if (held && !isStale(held)) return fail('GC714', { dir, pid: held.pid, host: held.host, startedAt: held.startedAt });
      note(held ? `graphc: ${dir} was locked by pid ${held.pid} on ${held.host}, which is gone; taking the lock over` : `graphc: ${dir}/${LOCK_FILE} is not a lock graphc wrote; replacing it`);
      rmSync(path, { force: true });
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(info)}\n`);
    } catch (error) {
      rmSync(path, { force: true });
      return fail('GC713', { dir, kind: 'not_writable', fsError: describeFsError(error) });
    } finally {
      closeSync(fd);
    }
    let released = false;
    // A process.exit (a second Ctrl-C, a dead queue worker) skips finally blocks; the lock still goes.
    const release = (): void => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readRunLock(dir)?.pid === info.pid) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return { dir, info, release };
  }
  // Another process took the stale lock between our removal and our retry.
  const held = readRunLock(dir);
  return fail('GC714', { dir, pid: held?.pid ?? 0, host: held?.host ?? 'unknown host', startedAt: held?.startedAt ?? 'just now' });
}
