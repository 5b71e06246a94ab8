/** Parquet: one column per feature and one for the label, copied column by column (hyparquet). */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type ColumnData } from 'hyparquet';
import type { DataValueProblem } from '../../../common/diagnostics/catalogue.js';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import type { FileDatasetConfig } from '../config.js';
import type { LabelReader } from '../values.js';
import type { DataFormat, Examples } from './format.js';
import { displayPath } from '../../../common/fs.js';
import { fileSize, isInt32, message, tableColumns, targetShape } from './shared.js';

export const parquet: DataFormat = {
  name: 'parquet',
  files: (given) => [['table', given as string]],
  load: ({ config, given, at, labels, scale }) => readParquet(at(given as string), config, labels, scale),
};

async function readParquet(path: string, config: FileDatasetConfig, labels: LabelReader, scale: number): Promise<Examples> {
  const file = displayPath(path);
  fileSize(path);
  let buffer;
  let metadata;
  try {
    buffer = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    fail('GC608', { file, format: 'parquet', readerMessage: message(error) }, { file });
  }
  const header = parquetSchema(metadata).children.map((c) => c.element.name);
  const columns = tableColumns(file, header, config);
  const count = Number(metadata.num_rows);
  const width = columns.featureIndex.length;
  const integer = config.feature_dtype === 'int32';
  const features = integer ? new Int32Array(count * width) : new Float32Array(count * width);
  const labelIds = new Int32Array(count).fill(-1);
  const k = columns.targetIndex.length;
  const targets = config.label.classes === undefined ? new Float32Array(count * k) : undefined;
  const lengths = columns.lengthIndex !== undefined ? new Int32Array(count) : undefined;
  const position = new Map(columns.featureIndex.map((index, j) => [header[index]!, j]));
  const targetPosition = new Map(columns.targetIndex.map((index, j) => [header[index]!, j]));
  const labelName = columns.labelIndex >= 0 ? header[columns.labelIndex]! : undefined;
  const lengthName = columns.lengthIndex !== undefined ? header[columns.lengthIndex]! : undefined;
  const factor = Math.fround(scale);
  function bad(row: number, column: string, problem: DataValueProblem): never {
    fail('GC609', { file, place: { row }, column, problem }, { file });
  }
  /** A cell as a finite number, or GC609; int32 ones (features of feature_dtype int32, lengths) also GC616. */
  function number(row: number, column: string, cell: number | bigint | boolean | null | string, int32: string | undefined): number {
    if (cell === null || cell === undefined) bad(row, column, { kind: 'missing' });
    if (typeof cell === 'string') bad(row, column, { kind: 'not_number', value: cell });
    const value = typeof cell === 'number' ? cell : Number(cell);
    if (!Number.isFinite(value)) bad(row, column, { kind: 'not_finite', value: String(value) });
    if (int32 !== undefined && !isInt32(value)) fail('GC616', { file, place: { row }, column, value: String(cell), role: int32 }, { file });
    return value;
  }
  // hyparquet calls onChunk outside the promise it returns: an error thrown there would be lost, so it is kept and thrown after.
  let failure: unknown;
  // A few columns at a time: hyparquet decodes every requested column of a row group before handing them over,
  // so reading all 785 columns of MNIST at once would hold them all decoded beside the float32 array.
  const wanted = [...(labelName !== undefined ? [labelName] : []), ...targetPosition.keys(), ...(lengthName !== undefined ? [lengthName] : []), ...position.keys()];
  for (let start = 0; start < wanted.length && failure === undefined; start += PARQUET_COLUMNS_PER_READ) {
    await parquetRead({
      file: buffer,
      metadata,
      columns: wanted.slice(start, start + PARQUET_COLUMNS_PER_READ),
      onChunk: (chunk) => {
        if (failure !== undefined) return;
        try {
          store(chunk);
        } catch (error) {
          failure = error;
        }
      },
    });
  }
  if (failure !== undefined) throw failure;
  return { features, labelIds, count, featureShape: [width], ...(targets ? { targets, targetShape: targetShape(config) } : {}), ...(lengths ? { lengths } : {}) };

  function store({ columnName, columnData, rowStart, rowEnd }: ColumnData): void {
    const end = Math.min(rowEnd, count);
    const cellAt = (r: number): number | bigint | boolean | null | string => columnData[r - rowStart] as number | bigint | boolean | null | string;
    if (columnName === labelName) {
      for (let r = rowStart; r < end; r++) {
        const id = labels.read(cellAt(r));
        if (typeof id !== 'number') bad(r, columnName, id);
        labelIds[r] = id;
      }
    }
    const t = targetPosition.get(columnName);
    if (t !== undefined && targets) for (let r = rowStart; r < end; r++) targets[r * k + t] = number(r, columnName, cellAt(r), undefined);
    if (columnName === lengthName && lengths) for (let r = rowStart; r < end; r++) lengths[r] = number(r, columnName, cellAt(r), 'lengths');
    const j = position.get(columnName);
    if (j === undefined) return;
    for (let r = rowStart; r < end; r++) {
      const value = number(r, columnName, cellAt(r), integer ? 'features' : undefined);
      features[r * width + j] = factor === 1 ? value : value * factor;
    }
  }
}

/** Columns decoded per pass over a Parquet file (memory: their decoded values, not the whole table's). */
const PARQUET_COLUMNS_PER_READ = 64;
