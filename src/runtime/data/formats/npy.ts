/** NPY: a features array [count, ...shape] and a labels array [count], a file each (npyjs). */
import { parse as parseNpy } from 'npyjs';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import type { LabelReader } from '../values.js';
import type { DataFormat, Examples } from './format.js';
import { displayPath } from '../../../common/fs.js';
import { message, readWhole } from './shared.js';

export const npy: DataFormat = {
  name: 'npy',
  files: (given) => {
    const pair = given as { features: string; labels: string };
    return [['features', pair.features], ['labels', pair.labels]];
  },
  load: ({ given, at, labels, scale }) => {
    const pair = given as { features: string; labels: string };
    return readNpyPair(at(pair.features), at(pair.labels), labels, scale);
  },
};

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
