/**
 * What a data file says about itself before its rows are read: a CSV's
 * header row, an NPY array's dtype and shape, a Parquet file's schema, an IDX
 * file's dims. `graphc check` compares these with the placeholders; the
 * loaders use them to plan the typed arrays they fill.
 *
 * Readers here never throw for a bad file: they return why it could not be
 * read, and the caller words a diagnostic where it knows the spec location.
 */
import { statSync } from 'node:fs';
import { GraphcError } from '../../diagnostics/diagnostic.js';
import { describeFsError } from '../../fs.js';
import { csvHeaderReader } from './csv.js';
import type { DataHeader, HeaderFormat, HeaderReader } from './format.js';
import { idxHeaderReader } from './idx.js';
import { npyHeaderReader } from './npy.js';
import { parquetHeaderReader } from './parquet.js';

export type { DataHeader, HeaderFormat, HeaderReader } from './format.js';
export { csvHeader } from './csv.js';

/** Every format's header reader, one line each (the contract is format.ts). */
export const HEADER_READERS: readonly HeaderReader[] = [csvHeaderReader, npyHeaderReader, parquetHeaderReader, idxHeaderReader];

export function headerReader(name: HeaderFormat): HeaderReader {
  const reader = HEADER_READERS.find((r) => r.name === name);
  if (!reader) throw new Error(`no header reader for '${name}'`);
  return reader;
}

export type HeaderResult =
  | { readonly ok: true; readonly header: DataHeader }
  | { readonly ok: false; readonly missing: true }
  /** readerMessage: the library's or the OS's words. */
  | { readonly ok: false; readonly missing: false; readonly readerMessage: string };

export function readHeader(path: string, format: HeaderFormat): HeaderResult {
  try {
    statSync(path);
  } catch {
    return { ok: false, missing: true };
  }
  try {
    return { ok: true, header: headerReader(format).read(path) };
  } catch (error) {
    if (error instanceof GraphcError) return { ok: false, missing: false, readerMessage: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, missing: false, readerMessage: /ENOENT|EACCES|EISDIR/.test(message) ? describeFsError(error) : message };
  }
}
