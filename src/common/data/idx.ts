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
import type { IdxExpectation, IdxProblem } from '../diagnostics/catalogue.js';
import { fail } from '../diagnostics/diagnostic.js';
import { describeFsError } from '../fs.js';

export interface IdxArray {
  readonly dims: number[];
  readonly data: Uint8Array;
}

export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count × rows × cols bytes, row-major. */
  readonly data: Uint8Array;
}

export interface IdxLabels {
  readonly count: number;
  /** One byte per example, each below the class count. */
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
/** MNIST's digits, the default class count of a labels file. */
const MNIST_CLASSES = 10;

/** Names of the IDX type codes, so an unsupported one can be reported by name. */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** What a caller expects, so a bad header can be described against it. */
type Expectation = IdxExpectation;

const IMAGES: Expectation = { ndims: 3, what: 'images' };
const LABELS: Expectation = { ndims: 1, what: 'labels' };

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
  for (let i = 0; i < data.length; i++) {
    const label = data[i]!;
    if (label >= classes) {
      fail('GC602', { file: path, kind: 'label_out_of_range', label, index: i, classes }, { file: path });
    }
  }
  return { count: dims[0]!, data };
}

interface Content {
  readonly bytes: Uint8Array;
  /** Whether `bytes` came out of gunzip, so sizes in messages can say so. */
  readonly gzipped: boolean;
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

function parseIdx(path: string, { bytes, gzipped }: Content, expect?: Expectation): IdxArray {
  const corrupt = (problem: IdxProblem): never => fail('GC602', { file: path, ...problem }, { file: path });

  if (bytes.length < 4) corrupt({ kind: 'too_short', bytes: bytes.length, gzipped });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2]!;
  const ndims = bytes[3]!;

  // Not an IDX file at all (zero-filled, HTML error page, wrong format): say so plainly.
  const typeName = TYPE_NAMES[type];
  if (bytes[0] !== 0 || bytes[1] !== 0 || typeName === undefined) {
    corrupt({ kind: 'bad_magic', magic, ...(expect ? { expected: expect } : {}) });
  }
  if (type !== UNSIGNED_BYTE) {
    corrupt({ kind: 'type_code', typeCode: type, typeName: typeName! });
  }
  if (ndims === 0) corrupt({ kind: 'zero_dims', magic });
  if (expect && ndims !== expect.ndims) {
    corrupt({ kind: 'wrong_ndims', magic, ndims, expected: expect });
  }

  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) {
    corrupt({ kind: 'header_truncated', ndims, headerBytes: headerLength, bytes: bytes.length, gzipped });
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) {
    const dim = view.getUint32(4 + 4 * i);
    if (dim === 0) corrupt({ kind: 'zero_dim', dim: i });
    dims.push(dim);
  }

  // Products of uint32 dims stay exact as doubles up to 2^53, far beyond any real file.
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) corrupt({ kind: 'data_size', dims, actual, gzipped });

  return { dims, data: bytes.subarray(headerLength) };
}
