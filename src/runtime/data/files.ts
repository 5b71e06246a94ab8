/**
 * Loading `train.dataset: {format: ...}` files into typed arrays: float32
 * features, one-hot float32 labels. Rows are never kept as JS objects: each
 * format (formats/, one file each) fills typed arrays directly.
 *
 * Every bad value is a diagnostic naming the file and the place: file:line
 * for CSV, the row index for binary formats (GC609); an array or column that
 * cannot be features or labels is GC610; a missing file GC601.
 */
import { resolve } from 'node:path';
import { fail } from '../../common/diagnostics/diagnostic.js';
import type { RandomStream } from '../random.js';
import type { DataFilesConfig, FileDatasetConfig } from './config.js';
import type { CsvOptions } from './csv.js';
import { DataSet, type ExampleShape } from './dataset.js';
import { dataFormat, type Examples, type FileRole } from './formats/index.js';
import { displayPath } from '../../common/fs.js';
import { fileSize } from './formats/shared.js';
import { labelReader } from './values.js';

export interface DataFileRecord {
  readonly split: 'train' | 'test';
  readonly role: FileRole;
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
    for (const [role, path] of dataFormat(config.format).files(given)) files.push({ split, role, path: displayPath(resolve(options.baseDir, path)), bytes: fileSize(resolve(options.baseDir, path)) });
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

/** Reads one split in the dataset's format. */
export async function loadSplit(config: FileDatasetConfig, given: DataFilesConfig, baseDir: string, csv: CsvOptions = {}): Promise<Examples> {
  return dataFormat(config.format).load({ config, given, at: (path) => resolve(baseDir, path), labels: labelReader(config.label.classes), scale: config.scale ?? 1, csv });
}

function oneHot(ids: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(ids.length * classes);
  for (let i = 0; i < ids.length; i++) out[i * classes + ids[i]!] = 1;
  return out;
}
