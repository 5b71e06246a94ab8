/** Parquet: one column per feature and one for the label, copied column by column (hyparquet). */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type ColumnData } from 'hyparquet';
import type { DataValueProblem } from '../../../common/diagnostics/catalogue.js';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import type { FileDatasetConfig } from '../config.js';
import type { LabelReader } from '../values.js';
import type { DataFormat, Examples } from './format.js';
import { displayPath } from '../../../common/fs.js';
import { fileSize, message, tableColumns } from './shared.js';

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
  const { featureIndex, labelIndex } = tableColumns(file, header, config);
  const count = Number(metadata.num_rows);
  const width = featureIndex.length;
  const features = new Float32Array(count * width);
  const labelIds = new Int32Array(count);
  const position = new Map(featureIndex.map((index, j) => [header[index]!, j]));
  const labelName = header[labelIndex]!;
  const factor = Math.fround(scale);
  function bad(row: number, column: string, problem: DataValueProblem): never {
    fail('GC609', { file, place: { row }, column, problem }, { file });
  }
  // hyparquet calls onChunk outside the promise it returns: an error thrown there would be lost, so it is kept and thrown after.
  let failure: unknown;
  // A few columns at a time: hyparquet decodes every requested column of a row group before handing them over,
  // so reading all 785 columns of MNIST at once would hold them all decoded beside the float32 array.
  const wanted = [labelName, ...position.keys()];
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
  return { features, labelIds, count, featureShape: [width] };

  function store({ columnName, columnData, rowStart, rowEnd }: ColumnData): void {
    const end = Math.min(rowEnd, count);
    if (columnName === labelName) {
      for (let r = rowStart; r < end; r++) {
        const id = labels.read(columnData[r - rowStart] as string | number | bigint | null);
        if (typeof id !== 'number') bad(r, columnName, id);
        labelIds[r] = id;
      }
    }
    const j = position.get(columnName);
    if (j === undefined) return;
    for (let r = rowStart; r < end; r++) {
      const cell = columnData[r - rowStart] as number | bigint | boolean | null | string;
      if (cell === null || cell === undefined) bad(r, columnName, { kind: 'missing' });
      const value = typeof cell === 'number' ? cell : typeof cell === 'bigint' || typeof cell === 'boolean' ? Number(cell) : NaN;
      if (typeof cell === 'string') bad(r, columnName, { kind: 'not_number', value: cell });
      if (!Number.isFinite(value)) bad(r, columnName, { kind: 'not_finite', value: String(value) });
      features[r * width + j] = factor === 1 ? value : value * factor;
    }
  }
}

/** Columns decoded per pass over a Parquet file (memory: their decoded values, not the whole table's). */
const PARQUET_COLUMNS_PER_READ = 64;
