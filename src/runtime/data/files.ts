/**
 * Loading `train.dataset: {format: ...}` files into typed arrays: float32
 * features, one-hot float32 labels. Rows are never kept as JS objects: CSV is
 * streamed (csv-parse) into a growing Float32Array, NPY arrays (npyjs) and
 * Parquet columns (hyparquet) are copied column by column, IDX goes through
 * the IDX reader.
 *
 * Every bad value is a diagnostic naming the file and the place: file:line
 * for CSV, the row index for binary formats (GC609); an array or column that
 * cannot be features or labels is GC610; a missing file GC601.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type ColumnData } from 'hyparquet';
import { parse as parseNpy } from 'npyjs';
import { selectColumns } from '../../common/data/columns.js';
import { csvHeader } from '../../common/data/headers.js';
import type { DataValueProblem } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { describeFsError } from '../../common/fs.js';
import type { RandomStream } from '../random.js';
import type { DataFilesConfig, FileDatasetConfig } from './config.js';
import { DataSet, type ExampleShape } from './dataset.js';
import { readIdxImages, readIdxLabels } from './idx.js';
import { labelReader, type LabelReader } from './values.js';
import { csvThreads, parseCsvParallel, parseCsvRange, planCsvParts, storeRecord, type CsvLayout } from './csv.js';

/** One split's examples before batching: row-major features and class ids. */
export interface Examples {
  readonly features: Float32Array;
  readonly labelIds: Int32Array;
  readonly count: number;
  readonly featureShape: readonly number[];
}

export interface DataFileRecord {
  readonly split: 'train' | 'test';
  /** What the file holds: the whole table, or one array of a pair. */
  readonly role: 'table' | 'features' | 'labels' | 'images';
  /** As given in the spec, resolved against the spec's folder and shown relative to the working directory. */
  readonly path: string;
  readonly bytes: number;
}

export interface LoadedFiles {
  readonly train: DataSet;
  readonly validation: DataSet;
  readonly test: DataSet;
  readonly files: readonly DataFileRecord[];
}

export interface LoadFilesOptions {
  /** The spec file's folder: data paths are relative to it. */
  readonly baseDir: string;
  readonly random: RandomStream;
}

export async function loadDataFiles(config: FileDatasetConfig, options: LoadFilesOptions): Promise<LoadedFiles> {
  const classes = typeof config.label.classes === 'number' ? config.label.classes : config.label.classes.length;
  const files: DataFileRecord[] = [];
  const load = async (split: 'train' | 'test'): Promise<Examples> => {
    const given = config[split];
    for (const [role, path] of filesOf(given)) files.push({ split, role, path: displayPath(resolve(options.baseDir, path)), bytes: fileSize(resolve(options.baseDir, path)) });
    return loadSplit(config, given, options.baseDir);
  };
  const train = await load('train');
  const test = await load('test');
  const held = config.validation ?? 0;
  if (held >= train.count) {
    const file = files.find((f) => f.split === 'train')!.path;
    fail('GC610', { file, problem: { kind: 'too_few_rows', rows: train.count, validation: held } }, { file });
  }
  const shape: ExampleShape = { features: train.featureShape, classes };
  if (test.featureShape.join() !== train.featureShape.join()) {
    const file = files.find((f) => f.split === 'test' && f.role !== 'labels')!.path;
    fail('GC610', { file, problem: { kind: 'test_shape', shape: test.featureShape, train: train.featureShape } }, { file });
  }
  const width = train.features.length / train.count;
  const trainLabels = oneHot(train.labelIds, classes);
  return {
    validation: new DataSet(train.features.subarray(0, held * width), trainLabels.subarray(0, held * classes), options.random, shape),
    train: new DataSet(train.features.subarray(held * width), trainLabels.subarray(held * classes), options.random, shape),
    test: new DataSet(test.features, oneHot(test.labelIds, classes), options.random, shape),
    files,
  };
}

function filesOf(given: DataFilesConfig): Array<[DataFileRecord['role'], string]> {
  if (typeof given === 'string') return [['table', given]];
  if ('features' in given) return [['features', given.features], ['labels', given.labels]];
  return [['images', given.images], ['labels', given.labels]];
}

/** Reads one split in the dataset's format. */
export async function loadSplit(config: FileDatasetConfig, given: DataFilesConfig, baseDir: string, csv: CsvOptions = {}): Promise<Examples> {
  const at = (path: string): string => resolve(baseDir, path);
  const scale = config.scale ?? 1;
  const labels = labelReader(config.label.classes);
  switch (config.format) {
    case 'csv':
      return readCsv(at(given as string), config, labels, scale, csv);
    case 'parquet':
      return readParquet(at(given as string), config, labels, scale);
    case 'npy': {
      const pair = given as { features: string; labels: string };
      return readNpyPair(at(pair.features), at(pair.labels), labels, scale);
    }
    case 'idx': {
      const pair = given as { images: string; labels: string };
      return readIdxPair(at(pair.images), at(pair.labels), labels, scale);
    }
  }
}

/** float32 storage that grows as rows arrive, starting from an estimate of the row count. */
class GrowingRows {
  private data: Float32Array;
  private ids: Int32Array;
  count = 0;

  constructor(
    private readonly width: number,
    estimate: number,
  ) {
    const rows = Math.max(16, Math.ceil(estimate));
    this.data = new Float32Array(rows * width);
    this.ids = new Int32Array(rows);
  }

  /** The next row's features, to be filled in place. */
  next(): Float32Array {
    if ((this.count + 1) * this.width > this.data.length) {
      const rows = Math.ceil(this.ids.length * 1.25) + 16;
      const data = new Float32Array(rows * this.width);
      data.set(this.data);
      this.data = data;
      const ids = new Int32Array(rows);
      ids.set(this.ids);
      this.ids = ids;
    }
    return this.data.subarray(this.count * this.width, (this.count + 1) * this.width);
  }

  push(labelId: number): void {
    this.ids[this.count] = labelId;
    this.count++;
  }

  /** Exactly `count` rows; the spare capacity is copied away only when it is large (a copy would briefly double the memory). */
  finish(): { features: Float32Array; labelIds: Int32Array } {
    const used = this.count * this.width;
    const tight = this.data.length <= used * 1.25 + this.width * 16;
    return {
      features: tight ? this.data.subarray(0, used) : this.data.slice(0, used),
      labelIds: this.ids.slice(0, this.count),
    };
  }
}

/** How CSV loads use threads: files from `minBytes` are split between up to `threads` workers (tests force small values). */
export interface CsvOptions {
  readonly minBytes?: number;
  readonly threads?: number;
}

async function readCsv(path: string, config: FileDatasetConfig, labels: LabelReader, scale: number, options: CsvOptions = {}): Promise<Examples> {
  const file = displayPath(path);
  const size = fileSize(path);
  let header: string[];
  try {
    header = csvHeader(path);
  } catch (error) {
    fail('GC608', { file, format: 'csv', readerMessage: message(error) }, { file });
  }
  const { featureIndex, labelIndex } = tableColumns(file, header, config);
  const width = featureIndex.length;
  const layout: CsvLayout = { file, header, featureIndex, labelIndex, factor: Math.fround(scale) };
  const threads = options.threads ?? csvThreads(size, options.minBytes);
  const parts = threads > 1 ? planCsvParts(path, size, threads) : undefined;
  if (parts && parts.length > 1) {
    const { features, labelIds, count } = await parseCsvParallel(path, layout, config.label.classes, parts);
    return { features, labelIds, count, featureShape: [width] };
  }
  const rows = new GrowingRows(width, estimateRows(path, size));
  await parseCsvRange(path, file, { start: 0, firstLine: 1 }, (record, line) => rows.push(storeRecord(layout, labels, record, line, rows.next())));
  const { features, labelIds } = rows.finish();
  return { features, labelIds, count: rows.count, featureShape: [width] };
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

/** The positions of the feature columns and of the label column in a table's header. */
function tableColumns(file: string, header: readonly string[], config: FileDatasetConfig): { featureIndex: number[]; labelIndex: number } {
  const label = config.label.column!;
  const missing = (column: string | number): never => fail('GC607', { file, column }, { file });
  const labelIndex = header.indexOf(label);
  if (labelIndex < 0) missing(label);
  const names = selectColumns(header, label, config.features, missing);
  return { featureIndex: names.map((n) => header.indexOf(n)), labelIndex };
}

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

/** Float dtypes, whose values must be checked for NaN and infinities. */
const FLOAT_DTYPES = new Set(['f2', 'f4', 'f8']);

function readNpy(path: string): { data: ArrayLike<number | bigint | boolean>; shape: number[]; dtype: string } {
  const file = displayPath(path);
  const bytes = readWhole(path);
  try {
    const array = parseNpy(bytes);
    if (array.fortranOrder) throw new Error('the array is in Fortran order; save it in C order (numpy.ascontiguousarray)');
    return array as unknown as { data: ArrayLike<number | bigint | boolean>; shape: number[]; dtype: string };
  } catch (error) {
    fail('GC608', { file, format: 'npy', readerMessage: message(error) }, { file });
  }
}

function readNpyPair(featuresPath: string, labelsPath: string, labels: LabelReader, scale: number): Promise<Examples> {
  const featureFile = displayPath(featuresPath);
  const labelFile = displayPath(labelsPath);
  const x = readNpy(featuresPath);
  if (!['f2', 'f4', 'f8', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'b1'].includes(x.dtype)) fail('GC610', { file: featureFile, problem: { kind: 'dtype', dtype: x.dtype } }, { file: featureFile });
  if (x.shape.length < 2) fail('GC610', { file: featureFile, problem: { kind: 'features_rank', shape: x.shape } }, { file: featureFile });
  const y = readNpy(labelsPath);
  if (y.shape.length !== 1) fail('GC610', { file: labelFile, problem: { kind: 'labels_rank', shape: y.shape } }, { file: labelFile });
  if (!['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8'].includes(y.dtype)) fail('GC610', { file: labelFile, problem: { kind: 'labels_dtype', dtype: y.dtype } }, { file: labelFile });
  const count = x.shape[0]!;
  if (y.shape[0] !== count) fail('GC611', { features: featureFile, labels: labelFile, featureCount: count, labelCount: y.shape[0]! }, { file: featureFile });
  const featureShape = x.shape.slice(1);
  const width = featureShape.reduce((a, b) => a * b, 1);
  const features = new Float32Array(count * width);
  const factor = Math.fround(scale);
  const source = x.data;
  const checkFinite = FLOAT_DTYPES.has(x.dtype);
  for (let i = 0; i < source.length; i++) {
    const raw = source[i]!;
    const value = typeof raw === 'number' ? raw : Number(raw);
    if (checkFinite && !Number.isFinite(value)) {
      fail('GC609', { file: featureFile, place: { row: Math.floor(i / width) }, column: `feature ${i % width}`, problem: { kind: 'not_finite', value: String(value) } }, { file: featureFile });
    }
    features[i] = factor === 1 ? value : value * factor;
  }
  const labelIds = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const id = labels.read(y.data[r] as number | bigint);
    if (typeof id !== 'number') fail('GC609', { file: labelFile, place: { row: r }, column: 'label', problem: id }, { file: labelFile });
    labelIds[r] = id;
  }
  return Promise.resolve({ features, labelIds, count, featureShape });
}

function readIdxPair(imagesPath: string, labelsPath: string, labels: LabelReader, scale: number): Promise<Examples> {
  const images = readIdxImages(imagesPath);
  const ids = readIdxLabels(labelsPath, labels.classes);
  if (images.count !== ids.count) fail('GC603', { images: displayPath(imagesPath), labels: displayPath(labelsPath), imageCount: images.count, labelCount: ids.count }, { file: displayPath(imagesPath) });
  const width = images.rows * images.cols;
  const features = new Float32Array(images.data.length);
  const factor = Math.fround(scale);
  // byte × float32(scale), rounded to float32: for 1/255 exactly MNIST's pixels (mnist.ts).
  for (let i = 0; i < features.length; i++) features[i] = images.data[i]! * factor;
  return Promise.resolve({ features, labelIds: Int32Array.from(ids.data), count: images.count, featureShape: [width] });
}

function oneHot(ids: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(ids.length * classes);
  for (let i = 0; i < ids.length; i++) out[i * classes + ids[i]!] = 1;
  return out;
}

function readWhole(path: string): ArrayBuffer {
  try {
    const buffer = readFileSync(path);
    // A fresh, aligned ArrayBuffer: Node may hand out a slice of a shared pool.
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  } catch (error) {
    const file = displayPath(path);
    fail('GC601', { file, reason: 'fs', fsError: describeFsError(error) }, { file });
  }
}

/** The file's size in bytes; a missing file is GC601. */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    const file = displayPath(path);
    fail('GC601', { file, reason: 'fs', fsError: describeFsError(error) }, { file });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A path as messages show it: relative to the working directory when inside it. */
export function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute).split(sep).join('/');
}

