/**
 * Reader for IDX files (the MNIST distribution format): a 4-byte magic
 * `0x00 0x00 TYPE NDIMS`, NDIMS big-endian uint32 dimensions, then the data.
 * Only unsigned-byte data (type 0x08) is supported, which is all MNIST uses.
 * Files may be gzipped; gzip is detected by content, not by file name.
 *
 * Every problem becomes a diagnostic naming the file: GC601 when it cannot be
 * read at all, GC602 when its content is not what it should be.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fail } from '../diagnostics/diagnostic.js';
import { describeFsError } from '../fs.js';
import { checkLabels, IMAGES, LABELS, MNIST_CLASSES, parseIdx, type Content, type IdxArray, type IdxImages, type IdxLabels } from './idx-parse.js';

export type { IdxArray, IdxImages, IdxLabels } from './idx-parse.js';
export { parseIdxImages, parseIdxLabels } from './idx-parse.js';

/**
 * Reads an unsigned-byte IDX file (raw or gzipped). `data` is a view into the
 * file's buffer; it is the caller's to keep.
 */
export function readIdx(path: string): IdxArray {
  return parseIdx(path, readContent(path));
}

/** Reads an IDX images file: 3 dims (count, rows, cols). */
export function readIdxImages(path: string): IdxImages {
  const { dims, data } = parseIdx(path, readContent(path), IMAGES);
  const [count, rows, cols] = dims as [number, number, number];
  return { count, rows, cols, data };
}

/** Reads an IDX labels file: 1 dim (count), every label below `classes` (MNIST's 10 digits by default). */
export function readIdxLabels(path: string, classes: number = MNIST_CLASSES): IdxLabels {
  const { dims, data } = parseIdx(path, readContent(path), LABELS);
  checkLabels(path, data, classes);
  return { count: dims[0]!, data };
}

/** The file's bytes, gunzipped when they start with the gzip magic. */
function readContent(path: string): Content {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    fail('GC601', { file: path, reason: 'fs', fsError: describeFsError(err) }, { file: path });
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) return { bytes: gunzip(path, raw), gzipped: true };
  return { bytes: raw, gzipped: false };
}

function gunzip(path: string, raw: Buffer): Uint8Array {
  try {
    return gunzipSync(raw);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    fail('GC602', { file: path, kind: 'gzip', zlibMessage: reason }, { file: path });
  }
}

