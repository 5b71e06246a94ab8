/** NPY: a features array [count, ...shape] and a labels array [count], a file each (npyjs). */
import { parse as parseNpy } from 'npyjs';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import type { LabelReader } from '../values.js';
import type { DataFormat, Examples, FileRole } from './format.js';
import { displayPath } from '../../../common/fs.js';
import type { FileDatasetConfig } from '../config.js';
import { isInt32, message, readWhole } from './shared.js';

export const npy: DataFormat = {
  name: 'npy',
  files: (given) => {
    const files = given as { features: string; labels: string; lengths?: string };
    return [['features', files.features] as [FileRole, string], ['labels', files.labels] as [FileRole, string], ...(files.lengths !== undefined ? [['lengths', files.lengths] as [FileRole, string]] : [])];
  },
  load: ({ config, given, at, labels, scale }) => {
    const files = given as { features: string; labels: string; lengths?: string };
    return Promise.resolve(readNpyFiles(at(files.features), at(files.labels), files.lengths !== undefined ? at(files.lengths) : undefined, config, labels, scale));
  },
};

/** Float dtypes, whose values must be checked for NaN and infinities. */
const FLOAT_DTYPES = new Set(['f2', 'f4', 'f8']);
const INTEGER_DTYPES = new Set(['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']);
const NUMERIC_DTYPES = new Set([...FLOAT_DTYPES, ...INTEGER_DTYPES, 'b1']);

type NpyArray = { data: ArrayLike<number | bigint | boolean>; shape: number[]; dtype: string };

function readNpy(path: string): NpyArray {
  const file = displayPath(path);
  const bytes = readWhole(path);
  try {
    const array = parseNpy(bytes);
    if (array.fortranOrder) throw new Error('the array is in Fortran order; save it in C order (numpy.ascontiguousarray)');
    return array as unknown as NpyArray;
  } catch (error) {
    fail('GC608', { file, format: 'npy', readerMessage: message(error) }, { file });
  }
}

const asNumber = (raw: number | bigint | boolean): number => (typeof raw === 'number' ? raw : Number(raw));

function readNpyFiles(featuresPath: string, labelsPath: string, lengthsPath: string | undefined, config: FileDatasetConfig, labels: LabelReader, scale: number): Examples {
  const featureFile = displayPath(featuresPath);
  const labelFile = displayPath(labelsPath);
  const integer = config.feature_dtype === 'int32';
  const x = readNpy(featuresPath);
  if (!NUMERIC_DTYPES.has(x.dtype)) fail('GC610', { file: featureFile, problem: { kind: 'dtype', dtype: x.dtype } }, { file: featureFile });
  if (integer && !INTEGER_DTYPES.has(x.dtype)) fail('GC617', { file: featureFile, role: 'int32 features', problem: { kind: 'dtype', dtype: x.dtype } }, { file: featureFile });
  if (x.shape.length < 2) fail('GC610', { file: featureFile, problem: { kind: 'features_rank', shape: x.shape } }, { file: featureFile });
  const count = x.shape[0]!;
  const featureShape = x.shape.slice(1);
  const width = featureShape.reduce((a, b) => a * b, 1);
  const features = integer ? new Int32Array(count * width) : new Float32Array(count * width);
  const factor = Math.fround(scale);
  const source = x.data;
  const checkFinite = FLOAT_DTYPES.has(x.dtype);
  for (let i = 0; i < source.length; i++) {
    const value = asNumber(source[i]!);
    const place = { row: Math.floor(i / width) };
    if (checkFinite && !Number.isFinite(value)) fail('GC609', { file: featureFile, place, column: `feature ${i % width}`, problem: { kind: 'not_finite', value: String(value) } }, { file: featureFile });
    if (integer && !isInt32(value)) fail('GC616', { file: featureFile, place, column: `feature ${i % width}`, value: String(source[i]), role: 'features' }, { file: featureFile });
    features[i] = factor === 1 ? value : value * factor;
  }
  const y = readNpy(labelsPath);
  const labelCount = y.shape[0] ?? 0;
  const rows = (other: string, n: number): void => {
    if (n !== count) fail('GC611', { features: featureFile, labels: other, featureCount: count, labelCount: n }, { file: featureFile });
  };
  const lengths = lengthsPath !== undefined ? readLengths(lengthsPath) : undefined;
  if (lengths) rows(displayPath(lengthsPath!), lengths.length);
  if (config.label.classes === undefined) {
    if (!NUMERIC_DTYPES.has(y.dtype)) fail('GC617', { file: labelFile, role: 'regression targets', problem: { kind: 'dtype', dtype: y.dtype } }, { file: labelFile });
    if (y.shape.length < 1 || y.shape.length > 2) fail('GC617', { file: labelFile, role: 'regression targets', problem: { kind: 'rank', shape: y.shape, expected: '[examples] or [examples, targets]' } }, { file: labelFile });
    rows(labelFile, labelCount);
    const targets = new Float32Array(y.data.length);
    const k = y.shape[1] ?? 1;
    for (let i = 0; i < targets.length; i++) {
      const value = asNumber(y.data[i]!);
      if (!Number.isFinite(value)) fail('GC609', { file: labelFile, place: { row: Math.floor(i / k) }, column: `target ${i % k}`, problem: { kind: 'not_finite', value: String(value) } }, { file: labelFile });
      targets[i] = value;
    }
    return { features, labelIds: new Int32Array(count).fill(-1), targets, targetShape: y.shape.slice(1), count, featureShape, ...(lengths ? { lengths } : {}) };
  }
  if (y.shape.length !== 1) fail('GC610', { file: labelFile, problem: { kind: 'labels_rank', shape: y.shape } }, { file: labelFile });
  if (!INTEGER_DTYPES.has(y.dtype)) fail('GC610', { file: labelFile, problem: { kind: 'labels_dtype', dtype: y.dtype } }, { file: labelFile });
  rows(labelFile, labelCount);
  const labelIds = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const id = labels.read(y.data[r] as number | bigint);
    if (typeof id !== 'number') fail('GC609', { file: labelFile, place: { row: r }, column: 'label', problem: id }, { file: labelFile });
    labelIds[r] = id;
  }
  return { features, labelIds, count, featureShape, ...(lengths ? { lengths } : {}) };
}

/** A lengths file: one int32 per example. */
function readLengths(path: string): Int32Array {
  const file = displayPath(path);
  const array = readNpy(path);
  if (array.shape.length !== 1) fail('GC617', { file, role: 'lengths', problem: { kind: 'rank', shape: array.shape, expected: 'one per example, [examples]' } }, { file });
  if (!INTEGER_DTYPES.has(array.dtype)) fail('GC617', { file, role: 'lengths', problem: { kind: 'dtype', dtype: array.dtype } }, { file });
  const lengths = new Int32Array(array.shape[0]!);
  for (let r = 0; r < lengths.length; r++) {
    const value = asNumber(array.data[r]!);
    if (!isInt32(value)) fail('GC616', { file, place: { row: r }, column: 'length', value: String(array.data[r]), role: 'lengths' }, { file });
    lengths[r] = value;
  }
  return lengths;
}
