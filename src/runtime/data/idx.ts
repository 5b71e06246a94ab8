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
import { fail } from '../../shared/diagnostics/diagnostic.js';
import { describeFsError } from '../../shared/fs.js';

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
  /** One byte per example, each 0..9. */
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const NUM_CLASSES = 10;

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
interface Expectation {
  readonly ndims: number;
  readonly what: string;
}

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

/** Reads an IDX labels file: 1 dim (count), every label a digit 0..9. */
export function readIdxLabels(path: string): IdxLabels {
  const { dims, data } = parseIdx(path, readContent(path), LABELS);
  for (let i = 0; i < data.length; i++) {
    const label = data[i]!;
    if (label >= NUM_CLASSES) {
      fail('GC602', { file: path, detail: `label ${label} at index ${i} is out of range 0..${NUM_CLASSES - 1}` }, { file: path });
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
    fail('GC601', { file: path, detail: describeFsError(err) }, { file: path });
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) return { bytes: gunzip(path, raw), gzipped: true };
  return { bytes: raw, gzipped: false };
}

function gunzip(path: string, raw: Buffer): Uint8Array {
  try {
    return gunzipSync(raw);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    fail('GC602', { file: path, detail: `truncated or corrupt gzip stream: ${reason}` }, { file: path });
  }
}

function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

function hex8(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** "0x00000803 (IDX unsigned-byte images, 3 dims)", or the generic form. */
function expectedMagic(expect: Expectation | undefined): string {
  if (!expect) return '0x000008NN (IDX unsigned-byte, NN dims)';
  const magic = (UNSIGNED_BYTE << 8) | expect.ndims;
  return `${hex32(magic)} (IDX unsigned-byte ${expect.what}, ${expect.ndims} dim${expect.ndims === 1 ? '' : 's'})`;
}

function parseIdx(path: string, { bytes, gzipped }: Content, expect?: Expectation): IdxArray {
  const corrupt = (detail: string): never => fail('GC602', { file: path, detail }, { file: path });
  const gz = gzipped ? ' (after decompression)' : '';

  if (bytes.length < 4) corrupt(`truncated: ${bytes.length} bytes${gz}, too short for an IDX header (4 bytes of magic number)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2]!;
  const ndims = bytes[3]!;

  // Not an IDX file at all (zero-filled, HTML error page, wrong format): say so plainly.
  const typeName = TYPE_NAMES[type];
  if (bytes[0] !== 0 || bytes[1] !== 0 || typeName === undefined) {
    corrupt(`bad magic number ${hex32(magic)}, expected ${expectedMagic(expect)}`);
  }
  if (type !== UNSIGNED_BYTE) {
    corrupt(`IDX type code ${hex8(type)} (${typeName}) is not supported; only ${hex8(UNSIGNED_BYTE)} (unsigned byte) is`);
  }
  if (ndims === 0) corrupt(`bad magic number ${hex32(magic)}: the header declares 0 dimensions`);
  if (expect && ndims !== expect.ndims) {
    corrupt(`bad magic number ${hex32(magic)}: the header declares ${ndims} dimension${ndims === 1 ? '' : 's'}, expected ${expectedMagic(expect)}`);
  }

  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) {
    corrupt(`truncated: the header declares ${ndims} dimensions (${headerLength} header bytes) but the file has ${bytes.length} bytes${gz}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) {
    const dim = view.getUint32(4 + 4 * i);
    if (dim === 0) corrupt(`dimension ${i} in the header is 0; every dimension must be at least 1`);
    dims.push(dim);
  }

  // Products of uint32 dims stay exact as doubles up to 2^53, far beyond any real file.
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  const described = `header says ${dims.join('×')} = ${expected} bytes of data`;
  if (actual < expected) corrupt(`truncated: ${described}, file has ${actual}${gz}`);
  if (actual > expected) corrupt(`${actual - expected} trailing bytes: ${described}, file has ${actual}${gz}`);

  return { dims, data: bytes.subarray(headerLength) };
}
