/**
 * What a data file says about itself before its rows are read: a CSV's
 * header row, an NPY array's dtype and shape, a Parquet file's schema, an IDX
 * file's dims. `graphc check` compares these with the placeholders; the
 * loaders use them to plan the typed arrays they fill.
 *
 * Readers here never throw for a bad file: they return why it could not be
 * read, and the caller words a diagnostic where it knows the spec location.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { parse as parseNpy } from 'npyjs';
import { GraphcError } from '../diagnostics/diagnostic.js';
import { describeFsError } from '../fs.js';
import { readIdx } from './idx.js';

export type DataHeader =
  /** csv, parquet: the column names, and for parquet each column's physical type. */
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly types?: readonly string[]; readonly rows?: number }
  /** npy: numpy's dtype code without byte order ('f4', 'u1', 'i8', ...) and the shape. */
  | { readonly kind: 'array'; readonly dtype: string; readonly shape: readonly number[] }
  /** idx: the dims (count first). */
  | { readonly kind: 'idx'; readonly dims: readonly number[] };

export type HeaderResult =
  | { readonly ok: true; readonly header: DataHeader }
  | { readonly ok: false; readonly missing: true }
  /** readerMessage: the library's or the OS's words. */
  | { readonly ok: false; readonly missing: false; readonly readerMessage: string };

export type HeaderFormat = 'csv' | 'npy' | 'parquet' | 'idx';

export function readHeader(path: string, format: HeaderFormat): HeaderResult {
  try {
    statSync(path);
  } catch {
    return { ok: false, missing: true };
  }
  try {
    switch (format) {
      case 'csv':
        return { ok: true, header: { kind: 'table', columns: csvHeader(path) } };
      case 'parquet':
        return { ok: true, header: parquetHeader(path) };
      case 'npy':
        return { ok: true, header: npyHeader(path) };
      case 'idx':
        return { ok: true, header: { kind: 'idx', dims: readIdx(path).dims } };
    }
  } catch (error) {
    if (error instanceof GraphcError) return { ok: false, missing: false, readerMessage: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, missing: false, readerMessage: /ENOENT|EACCES|EISDIR/.test(message) ? describeFsError(error) : message };
  }
}

/** The first record of a CSV file, read in growing chunks until it is complete. */
export function csvHeader(path: string): string[] {
  const size = statSync(path).size;
  for (let chunk = 64 * 1024; ; chunk *= 4) {
    const text = readStart(path, Math.min(chunk, size));
    const whole = chunk >= size;
    // The first record is complete once a second one starts (or the file ends); csv-parse handles quoted line breaks.
    const rows = parseCsv(text, { to_line: 2, relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: true }) as string[][];
    const first = rows[0];
    if (!first) throw new Error('the file is empty');
    if (whole || rows.length > 1) return first.map((c) => c.trim());
  }
}

function readStart(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function readRange(path: string, start: number, bytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    readSync(fd, buffer, 0, bytes, start);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** The footer only: its last 8 bytes give the metadata's length. */
function parquetHeader(path: string): DataHeader {
  const size = statSync(path).size;
  if (size < 12) throw new Error('parquet file is too short');
  const tail = readRange(path, size - 8, 8);
  const length = new DataView(tail.buffer).getUint32(0, true);
  const footer = readRange(path, Math.max(0, size - 8 - length), Math.min(size, length + 8));
  const metadata = parquetMetadata(footer);
  const root = parquetSchema(metadata);
  const columns = root.children.map((c) => c.element.name);
  const types = root.children.map((c) => c.element.type ?? (c.children.length > 0 ? 'GROUP' : 'UNKNOWN'));
  return { kind: 'table', columns, types, rows: Number(metadata.num_rows) };
}

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
