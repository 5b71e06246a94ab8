/** CSV: a header row, then one row per example; streamed (csv-parse) into a growing Float32Array, in worker threads when the file is large (../csv.ts). */
import { closeSync, openSync, readSync } from 'node:fs';
import { csvHeader } from '../../../common/data/headers/index.js';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import type { FileDatasetConfig } from '../config.js';
import { csvThreads, parseCsvParallel, parseCsvRange, planCsvParts, storeRecord, type CsvLayout, type CsvOptions } from '../csv.js';
import type { LabelReader } from '../values.js';
import type { DataFormat, Examples } from './format.js';
import { displayPath } from '../../../common/fs.js';
import { fileSize, GrowingRows, message, tableColumns, targetShape } from './shared.js';

export const csv: DataFormat = {
  name: 'csv',
  files: (given) => [['table', given as string]],
  load: ({ config, given, at, labels, scale, csv: options }) => readCsv(at(given as string), config, labels, scale, options),
};

async function readCsv(path: string, config: FileDatasetConfig, labels: LabelReader, scale: number, options: CsvOptions): Promise<Examples> {
  const file = displayPath(path);
  const size = fileSize(path);
  let header: string[];
  try {
    header = csvHeader(path);
  } catch (error) {
    fail('GC608', { file, format: 'csv', readerMessage: message(error) }, { file });
  }
  const columns = tableColumns(file, header, config);
  const width = columns.featureIndex.length;
  const integer = config.feature_dtype === 'int32';
  const layout: CsvLayout = { file, header, ...columns, integer, factor: Math.fround(scale) };
  // Worker threads parse plain tables only: float features and a class label (what large files, MNIST's, are).
  const plain = !integer && columns.labelIndex >= 0 && columns.lengthIndex === undefined;
  const threads = plain ? (options.threads ?? csvThreads(size, options.minBytes)) : 1;
  const parts = threads > 1 ? planCsvParts(path, size, threads) : undefined;
  if (parts && parts.length > 1) {
    const { features, labelIds, count } = await parseCsvParallel(path, layout, config.label.classes!, parts);
    return { features, labelIds, count, featureShape: [width] };
  }
  const targets = columns.targetIndex.length;
  const regression = config.label.classes === undefined;
  const rows = new GrowingRows(width, estimateRows(path, size), { integer, ...(regression ? { targets } : {}), lengths: columns.lengthIndex !== undefined });
  await parseCsvRange(path, file, { start: 0, firstLine: 1 }, (record, line) => {
    storeRecord(layout, labels, record, line, rows.next());
    rows.push();
  });
  return { ...rows.finish(), count: rows.count, featureShape: [width], ...(regression ? { targetShape: targetShape(config) } : {}) };
}

/**
 * About how many data rows a text file of `size` bytes holds, from the line
 * lengths of its first megabyte (a little over, so the array rarely grows).
 */
function estimateRows(path: string, size: number): number {
  const sample = Buffer.alloc(Math.min(size, 1 << 20));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, sample, 0, sample.length, 0);
  } finally {
    closeSync(fd);
  }
  let lines = 0;
  for (let i = sample.indexOf(10); i >= 0; i = sample.indexOf(10, i + 1)) lines++;
  const firstLine = sample.indexOf(10) + 1;
  if (lines <= 1 || firstLine <= 0) return 16;
  const bytesPerRow = (sample.length - firstLine) / (lines - 1);
  return ((size - firstLine) / bytesPerRow) * 1.03 + 16;
}
