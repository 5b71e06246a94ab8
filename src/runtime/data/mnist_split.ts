/**
 * MNIST's four files, decoded, as TF1's `input_data.read_data_sets(dir,
 * one_hot=True)` splits them: validation is the first `validationSize`
 * training images in file order, train the rest, test the t10k files. It
 * imports no `node:` module: mnist.ts reads the files under Node, a page
 * (graphc bundle) fetches them.
 */
import type { IdxImages, IdxLabels } from '../../common/data/idx-parse.js';
import type { RandomStream } from '../random.js';
import { DataSet, IMAGE_SIZE, NUM_CLASSES, ScaledBytes } from './dataset.js';

/** TF1's default: the first 5000 training images are the validation split. */
export const DEFAULT_VALIDATION_SIZE = 5000;

export interface Mnist {
  readonly train: DataSet;
  readonly validation: DataSet;
  readonly test: DataSet;
}

/** Decoded images and their labels (same count, 28 × 28 images: mnist.ts checks). */
export interface MnistPair {
  readonly images: IdxImages;
  readonly labels: IdxLabels;
}

/** The three splits, sharing `random` as TF1's splits share numpy's global generator. */
export function splitMnist(train: MnistPair, test: MnistPair, random: RandomStream, validationSize: number): Mnist {
  const trainPixels = pixels(train.images.data);
  const trainOneHot = toOneHot(train.labels.data);
  const split = validationSize;
  return {
    // Views, not copies: validation is the file's leading examples, train the rest.
    validation: new DataSet(trainPixels.subarray(0, split * IMAGE_SIZE), trainOneHot.subarray(0, split * NUM_CLASSES), random),
    train: new DataSet(trainPixels.subarray(split * IMAGE_SIZE), trainOneHot.subarray(split * NUM_CLASSES), random),
    test: new DataSet(pixels(test.images.data), toOneHot(test.labels.data), random),
  };
}

/** 1/255 as float32: numpy casts the Python scalar to the array's float32 before multiplying. */
const INV_255 = Math.fround(1 / 255);

/**
 * byte × float32(1/255), rounded to float32 as each batch is copied out: the
 * same values as TF1's `numpy.multiply(images.astype(float32), 1.0 / 255.0)`.
 * The product of an 8-bit integer and a 24-bit mantissa is exact in a double,
 * so storing it into a Float32Array rounds it exactly as float32
 * multiplication does. The bytes are the decoded file's (shared with
 * mnist.ts's cache, never written), not a copy.
 */
function pixels(bytes: Uint8Array): ScaledBytes {
  return new ScaledBytes(bytes, INV_255);
}

function toOneHot(labels: Uint8Array): Float32Array {
  const oneHot = new Float32Array(labels.length * NUM_CLASSES);
  for (let i = 0; i < labels.length; i++) oneHot[i * NUM_CLASSES + labels[i]!] = 1;
  return oneHot;
}

