/**
 * Which files the board may read: only those under the folders it was given.
 * Every run, sweep and file the page asks for is named by an id,
 * `<folder index>/<path under that folder>`, taken from the URL one segment at
 * a time: a segment that decodes to '.', '..', or holds a slash or backslash
 * (`%2F`, `%5C`) is refused before any file is touched, and the path found is
 * resolved through its symbolic links and must still lie under the folder.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BoardRefusal } from '../../common/diagnostics/catalogue.js';

/** A folder the board serves. */
export interface BoardRoot {
  readonly index: number;
  /** As given on the command line (shown to the user). */
  readonly given: string;
  /** Absolute, symbolic links resolved (when the folder exists). */
  readonly real: string;
}

export type Refused = { readonly refused: 403; readonly reason: BoardRefusal } | { readonly refused: 404 };

export function isRefused(value: unknown): value is Refused {
  return typeof value === 'object' && value !== null && 'refused' in value;
}

export function boardRoots(folders: readonly string[]): BoardRoot[] {
  return folders.map((given, index) => {
    let real: string;
    try {
      real = realpathSync(given);
    } catch {
      // Not there yet (runs/ before the first run): watched for, served once it appears.
      real = resolve(given);
    }
    return { index, given, real };
  });
}

/** The decoded segments of a URL path's remainder ('0/runs%20a/x.svg' → ['0', 'runs a', 'x.svg']), or why not. */
export function decodeSegments(rawPath: string): string[] | Refused {
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { refused: 403, reason: 'bad_encoding' };
    }
    if (segment === '.' || segment === '..') return { refused: 403, reason: 'dot_segment' };
    if (/[/\\]/.test(segment)) return { refused: 403, reason: 'encoded_separator' };
    if (segment.includes('\0')) return { refused: 403, reason: 'bad_encoding' };
    segments.push(segment);
  }
  return segments;
}

/** A place under one of the roots. */
export interface Located {
  readonly root: BoardRoot;
  /** The id: '<root index>/<path under the root>', '/'-separated. */
  readonly id: string;
  /** Absolute path, symbolic links resolved. */
  readonly path: string;
}

/** Resolves an id's segments to a path under its root: 404 when there is no such thing, 403 when a link leads out. */
export function locate(roots: readonly BoardRoot[], segments: readonly string[]): Located | Refused {
  const [first, ...rest] = segments;
  if (first === undefined || !/^\d+$/.test(first)) return { refused: 404 };
  const root = roots[Number(first)];
  if (!root) return { refused: 404 };
  let real: string;
  try {
    real = realpathSync(join(root.real, ...rest));
  } catch {
    return { refused: 404 };
  }
  if (!isUnder(root.real, real)) return { refused: 403, reason: 'symlink_out' };
  return { root, id: idOf(root, real), path: real };
}

/** Like locate(), for a file the page may download: a regular file, not a folder or a device. */
export function locateFile(roots: readonly BoardRoot[], segments: readonly string[]): Located | Refused {
  const found = locate(roots, segments);
  if (isRefused(found)) return found;
  try {
    if (!statSync(found.path).isFile()) return { refused: 403, reason: 'not_a_file' };
  } catch {
    return { refused: 404 };
  }
  return found;
}

export function isUnder(root: string, path: string): boolean {
  if (path === root) return true;
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The id of a path under a root. */
export function idOf(root: BoardRoot, path: string): string {
  const rel = relative(root.real, path).split(sep).filter((s) => s !== '');
  return [String(root.index), ...rel].join('/');
}

/** An id as a URL path remainder, each segment percent-encoded. */
export function encodeId(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}
