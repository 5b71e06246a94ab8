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
  const classes = config.label.classes === undefined ? 0 : typeof config.label.classes === 'number' ? config.label.classes : config.label.classes.length;
  const files: DataFileRecord[] = [];
  const load = async (split: 'train' | 'test'): Promise<Examples> => {
    const given = config[split];
    for (const [role, path] of dataFormat(config.format).files(given)) files.push({ split, role, path: displayPath(resolve(options.baseDir, path)), bytes: fileSize(resolve(options.baseDir, path)) });
    const rows = await loadSplit(config, given, options.baseDir);
    if (!config.window) return rows;
    const file = files.find((f) => f.split === split && f.role !== 'labels')!.path;
    return slideWindows(rows, config.window, file);
  };
  const train = await load('train');
  const test = await load('test');
  const held = config.validation ?? 0;
  if (held >= train.count) {
    const file = files.find((f) => f.split === 'train')!.path;
    fail('GC610', { file, problem: { kind: 'too_few_rows', rows: train.count, validation: held } }, { file });
  }
  const shape: ExampleShape = {
    features: train.featureShape,
    classes,
    ...(train.targets ? { targets: train.targetShape ?? [] } : {}),
    ...(config.feature_dtype === 'int32' ? { featureDtype: 'int32' as const } : {}),
    ...(train.lengths ? { lengths: true } : {}),
  };
  if (test.featureShape.join() !== train.featureShape.join()) {
    const file = files.find((f) => f.split === 'test' && f.role !== 'labels')!.path;
    fail('GC610', { file, problem: { kind: 'test_shape', shape: test.featureShape, train: train.featureShape } }, { file });
  }
  if ((test.targetShape ?? []).join() !== (train.targetShape ?? []).join()) {
    const file = files.find((f) => f.split === 'test' && f.role !== 'features')!.path;
    fail('GC617', { file, role: 'regression targets', problem: { kind: 'rank', shape: [test.count, ...(test.targetShape ?? [])], expected: `[examples${train.targetShape?.length ? `, ${train.targetShape[0]}` : ''}] as in the training split` } }, { file });
  }
  const width = train.features.length / train.count;
  const labels = (examples: Examples): Float32Array => examples.targets ?? oneHot(examples.labelIds, classes);
  const trainLabels = labels(train);
  const per = trainLabels.length / train.count;
  return {
    validation: new DataSet(train.features.subarray(0, held * width), trainLabels.subarray(0, held * per), options.random, shape, train.lengths?.subarray(0, held)),
    train: new DataSet(train.features.subarray(held * width), trainLabels.subarray(held * per), options.random, shape, train.lengths?.subarray(held)),
    test: new DataSet(test.features, labels(test), options.random, shape, test.lengths),
    files,
  };
}

/** Reads one split in the dataset's format. */
export async function loadSplit(config: FileDatasetConfig, given: DataFilesConfig, baseDir: string, csv: CsvOptions = {}): Promise<Examples> {
  return dataFormat(config.format).load({ config, given, at: (path) => resolve(baseDir, path), labels: labelReader(config.label.classes ?? 0), scale: config.scale ?? 1, csv });
}

/**
 * A split's rows as sliding windows: window w holds rows [w·stride,
 * w·stride + length) of the features, and the label (class id or targets)
 * of row w·stride + length − 1 + horizon. Windows never reach past the
 * split's own rows, so a test file that follows the training file in time
 * is never seen in training.
 */
export function slideWindows(rows: Examples, window: { readonly length: number; readonly horizon?: number; readonly stride?: number }, file: string): Examples {
  const { length, horizon = 1, stride = 1 } = window;
  if (length + horizon > rows.count) fail('GC615', { file, rows: rows.count, length, horizon }, { file });
  const count = Math.floor((rows.count - length - horizon) / stride) + 1;
  const rowWidth = rows.features.length / rows.count;
  const features = rows.features instanceof Int32Array ? new Int32Array(count * length * rowWidth) : new Float32Array(count * length * rowWidth);
  const labelIds = new Int32Array(count);
  const k = rows.targets ? rows.targets.length / rows.count : 0;
  const targets = rows.targets ? new Float32Array(count * k) : undefined;
  for (let w = 0; w < count; w++) {
    const start = w * stride;
    features.set(rows.features.subarray(start * rowWidth, (start + length) * rowWidth), w * length * rowWidth);
    const target = start + length - 1 + horizon;
    labelIds[w] = rows.labelIds[target]!;
    if (targets) targets.set(rows.targets!.subarray(target * k, (target + 1) * k), w * k);
  }
  return { features, labelIds, ...(targets ? { targets, targetShape: rows.targetShape ?? [] } : {}), count, featureShape: [length, ...rows.featureShape] };
}

function oneHot(ids: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(ids.length * classes);
  for (let i = 0; i < ids.length; i++) out[i * classes + ids[i]!] = 1;
  return out;
}
