/** File-system helpers for every part of graphc: one wording for OS errors, writes that are never half-done. */
import { mkdirSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Write a temporary sibling, then rename it over the target: a reader never sees a half-written file. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  makeDirectories(dirname(path));
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const fault = writeFaults.inject?.(path);
    if (fault) throw fault;
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The OS reason a file could not be read or written, in plain words. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is used up';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A test seam, and only that: `inject(path)` may return an error that
 * writeFileAtomic then throws for that path before writing (a disk that is
 * full, without filling one).
 */
export const writeFaults: { inject?: ((path: string) => NodeJS.ErrnoException | undefined) | undefined } = {};

/** The error a failed atomic write of `size` bytes to `path` is reported with: GC706's params, with the space needed when the device is full. */
export function writeFailure(path: string, size: number, error: unknown): { path: string; reason: string; space?: { needed: number; free?: number } } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = describeFsError(error);
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return { path, reason };
  return { path, reason, space: { needed: size, ...freeSpace(dirname(path)) } };
}

function freeSpace(dir: string): { free?: number } {
  try {
    const stats = statfsSync(dir);
    return { free: stats.bavail * stats.bsize };
  } catch {
    return {};
  }
}

/**
 * `mkdir -p`, one level at a time: Node's own recursive mkdir never returns
 * for a path under /proc (it retries ENOENT forever), which a user can type
 * (--out /proc/x). Throws the OS error of the level that fails; ENOTDIR when a
 * level is a file.
 */
export function makeDirectories(dir: string): void {
  const absolute = resolve(dir);
  const parent = dirname(absolute);
  try {
    if (statSync(absolute).isDirectory()) return;
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${absolute}'`), { code: 'ENOTDIR', path: absolute });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (parent !== absolute) makeDirectories(parent);
  try {
    mkdirSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(absolute).isDirectory()) throw error;
  }
}

/** A path as messages and headers show it: relative to the working directory when inside it, with forward slashes. */
export function displayPath(file: string): string {
  const absolute = resolve(file);
  const rel = relative(process.cwd(), absolute);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  return shown.split(sep).join('/');
}
