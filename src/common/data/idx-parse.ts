/**
 * The IDX format (the MNIST distribution format) read from bytes already in
 * memory: a 4-byte magic `0x00 0x00 TYPE NDIMS`, NDIMS big-endian uint32
 * dimensions, then the data. Only unsigned-byte data (type 0x08) is
 * supported, which is all MNIST uses. It imports no `node:` module, so a page
 * (graphc bundle) parses the files it fetches with it; idx.ts reads files.
 * A bad file is GC602, naming `file`.
 */
import type { IdxExpectation, IdxProblem } from '../diagnostics/catalogue.js';
import { fail } from '../diagnostics/diagnostic.js';

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
export const MNIST_CLASSES = 10;

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
export type Expectation = IdxExpectation;

export const IMAGES: Expectation = { ndims: 3, what: 'images' };
export const LABELS: Expectation = { ndims: 1, what: 'labels' };

export interface Content {
  readonly bytes: Uint8Array;
  /** Whether `bytes` came out of gunzip, so sizes in messages can say so. */
  readonly gzipped: boolean;
}

export function parseIdx(path: string, { bytes, gzipped }: Content, expect?: Expectation): IdxArray {
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

/** An IDX images file's bytes (raw, not gzipped): 3 dims (count, rows, cols). */
export function parseIdxImages(file: string, bytes: Uint8Array): IdxImages {
  const { dims, data } = parseIdx(file, { bytes, gzipped: false }, IMAGES);
  const [count, rows, cols] = dims as [number, number, number];
  return { count, rows, cols, data };
}

/** An IDX labels file's bytes (raw, not gzipped): 1 dim (count), every label below `classes`. */
export function parseIdxLabels(file: string, bytes: Uint8Array, classes: number = MNIST_CLASSES): IdxLabels {
  const { dims, data } = parseIdx(file, { bytes, gzipped: false }, LABELS);
  checkLabels(file, data, classes);
  return { count: dims[0]!, data };
}

/** Every label below `classes` (GC602 names the first that is not). */
export function checkLabels(file: string, data: Uint8Array, classes: number): void {
  for (let i = 0; i < data.length; i++) {
    const label = data[i]!;
    if (label >= classes) {
      fail('GC602', { file, kind: 'label_out_of_range', label, index: i, classes }, { file });
    }
  }
}
