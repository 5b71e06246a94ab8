import { statSync } from 'node:fs';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { readRange } from './bytes.js';
import type { DataHeader, HeaderReader } from './format.js';

export const parquetHeaderReader: HeaderReader = { name: 'parquet', read: (path) => parquetHeader(path) };

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
