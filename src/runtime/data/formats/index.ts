/** Every data format graphc reads, one line each (the contract is format.ts). */
import type { DataFormatName } from '../config.js';
import { csv } from './csv.js';
import { idx } from './idx.js';
import { npy } from './npy.js';
import { parquet } from './parquet.js';
import type { DataFormat } from './format.js';

export const DATA_FORMATS: readonly DataFormat[] = [csv, npy, parquet, idx];

export function dataFormat(name: DataFormatName): DataFormat {
  const format = DATA_FORMATS.find((f) => f.name === name);
  if (!format) throw new Error(`no data format '${name}'`);
  return format;
}

export type { DataFormat, Examples, FileRole, SplitSource } from './format.js';
