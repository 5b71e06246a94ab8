import { statSync } from 'node:fs';
import { parse as parseNpy } from 'npyjs';
import { readRange } from './bytes.js';
import type { DataHeader, HeaderReader } from './format.js';

export const npyHeaderReader: HeaderReader = { name: 'npy', read: (path) => npyHeader(path) };

/**
 * npyjs parses a whole file; the header is all that is needed here, so it is
 * given the header and no data (the header's length is in bytes 8..10, or 8..12
 * from format version 2).
 */
function npyHeader(path: string): DataHeader {
  const start = readRange(path, 0, Math.min(statSync(path).size, 12));
  if (start.length < 10 || start[0] !== 0x93 || String.fromCharCode(...start.subarray(1, 6)) !== 'NUMPY') throw new Error('not an NPY file (no \\x93NUMPY magic)');
  const view = new DataView(start.buffer);
  const headerEnd = start[6]! >= 2 ? 12 + view.getUint32(8, true) : 10 + view.getUint16(8, true);
  const header = readRange(path, 0, headerEnd);
  const array = parseNpy(header.buffer as ArrayBuffer);
  if (array.fortranOrder) throw new Error('the array is in Fortran order; save it in C order (numpy.ascontiguousarray)');
  return { kind: 'array', dtype: array.dtype, shape: array.shape };
}
