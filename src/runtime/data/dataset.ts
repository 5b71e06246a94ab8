/**
 * An in-memory split (MNIST's or a data file's) with TF1's `DataSet.next_batch(batch_size,
 * shuffle=True)` semantics (tensorflow/contrib/learn/.../datasets/mnist.py):
 * shuffle on the first call; when a batch would run past the end of the
 * epoch, take what is left of the old order, reshuffle, and fill the rest of
 * the batch from the new order.
 *
 * The feature arrays are never reordered: an index permutation (`order`) stands
 * for TF1's reordered `_images`/`_labels`, and a batch copies rows through it.
 *
 * MNIST's images are kept as the file's bytes (ScaledBytes) and scaled to
 * float32 a batch at a time: a quarter of the memory of float32 pixels (55 MB
 * instead of 220), and the bytes are the decoded file itself, not a copy.
 */
import type { DataSetStateProblem } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import type { RandomStream } from '../random.js';

export const IMAGE_SIZE = 28 * 28;
export const NUM_CLASSES = 10;

/** What one example is: its features' shape and dtype, how many classes its label chooses from (or its targets' shape), whether it has a length. */
export interface ExampleShape {
  readonly features: readonly number[];
  /** 0 for a regression dataset. */
  readonly classes: number;
  /** A regression dataset's targets per example: [] for one value, [k] for several; absent for classes. */
  readonly targets?: readonly number[];
  /** Default float32. */
  readonly featureDtype?: 'float32' | 'int32';
  /** Whether each example has an int32 length (batch.lengths). */
  readonly lengths?: boolean;
}

/** A split's features: float32, or int32 for ids and counts. */
export type FeatureArray = Float32Array | Int32Array;

/**
 * Features stored as bytes and read as `float32(byte × scale)` — the same
 * values as converting them all up front (byte × a float32 scale is exact in a
 * double, so storing it in a Float32Array rounds as float32 multiplication does).
 */
export class ScaledBytes {
  constructor(
    readonly bytes: Uint8Array,
    /** A float32 value (Math.fround). */
    readonly scale: number,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  /** Elements [begin, end), still as bytes (a view). */
  subarray(begin: number, end?: number): ScaledBytes {
    return new ScaledBytes(this.bytes.subarray(begin, end), this.scale);
  }

  /** target[at …] = the float32 values of elements [begin, end). */
  copyTo(target: Float32Array, at: number, begin: number, end: number): void {
    const { bytes, scale } = this;
    for (let i = begin; i < end; i++) target[at + i - begin] = bytes[i]! * scale;
  }

  toFloat32(): Float32Array {
    const values = new Float32Array(this.bytes.length);
    this.copyTo(values, 0, 0, this.bytes.length);
    return values;
  }
}

/** Floats per example in a DataSet's `labels`: the one-hot width, or the targets'. */
export function labelWidth(shape: ExampleShape): number {
  return shape.targets ? shape.targets.reduce((a, b) => a * b, 1) : shape.classes;
}

export const MNIST_SHAPE: ExampleShape = { features: [IMAGE_SIZE], classes: NUM_CLASSES };

export interface Batch {
  /** [size, ...shape.features] row-major, fresh array. */
  readonly features: FeatureArray;
  /** The same array as `features` (an image set's name for it). */
  readonly images: FeatureArray;
  /** [size, classes] row-major one-hot, or a regression dataset's [size, ...shape.targets] targets; fresh array. */
  readonly labels: Float32Array;
  /** [size] class ids (-1 for a regression dataset). */
  readonly labelIds: Int32Array;
  /** [size] lengths, when the dataset has them. */
  readonly lengths?: Int32Array;
  readonly size: number;
  readonly shape: ExampleShape;
}

/** Everything needed to resume batching exactly; JSON-serialisable. */
export interface DataSetState {
  /** The current example order: order[k] is the k-th example of this epoch. */
  readonly order: number[];
  readonly indexInEpoch: number;
  readonly epochsCompleted: number;
}

export class DataSet {
  /** The features as given: float32 or int32 values, or bytes scaled a batch at a time. */
  readonly stored: FeatureArray | ScaledBytes;
  readonly labels: Float32Array;
  readonly lengths: Int32Array | undefined;
  readonly count: number;
  readonly shape: ExampleShape;
  /** Floats per example. */
  readonly width: number;
  private readonly random: RandomStream;
  private order: Uint32Array;
  private indexInEpoch = 0;
  private epochs = 0;
  private converted: Float32Array | undefined;

  /**
   * `features` is [count, ...shape.features] and `labels` [count, classes]
   * one-hot (a regression dataset's: [count, ...shape.targets] targets);
   * `lengths` [count] when the shape says so; all are kept, not copied.
   * `random` is shared with the other splits, as TF1 shares numpy's global
   * generator. The shape defaults to MNIST's.
   */
  constructor(features: FeatureArray | ScaledBytes, labels: Float32Array, random: RandomStream, shape: ExampleShape = MNIST_SHAPE, lengths?: Int32Array) {
    const classes = labelWidth(shape);
    const width = shape.features.reduce((a, b) => a * b, 1);
    if (labels.length % classes !== 0) {
      throw new RangeError(`DataSet: labels length ${labels.length} is not a multiple of ${classes}`);
    }
    const count = labels.length / classes;
    if (features.length !== count * width) {
      throw new RangeError(`DataSet: ${count} labels need ${count * width} features, features has ${features.length}`);
    }
    if (Boolean(shape.lengths) !== (lengths !== undefined) || (lengths && lengths.length !== count)) {
      throw new RangeError(`DataSet: ${count} examples need ${shape.lengths ? `${count} lengths` : 'no lengths'}, given ${lengths?.length ?? 'none'}`);
    }
    this.stored = features;
    this.labels = labels;
    this.lengths = lengths;
    this.count = count;
    this.shape = shape;
    this.width = width;
    this.random = random;
    this.order = identity(count);
  }

  /**
   * All the features as one array. For bytes this converts them all (once,
   * then kept): batches and rows() do not need it.
   */
  get features(): FeatureArray {
    if (!(this.stored instanceof ScaledBytes)) return this.stored;
    return (this.converted ??= this.stored.toFloat32());
  }

  /** The features of an image set, by their MNIST name. */
  get images(): FeatureArray {
    return this.features;
  }

  /** The features of examples [start, start + size) in file order: a view, or fresh floats for bytes. */
  rows(start: number, size: number): FeatureArray {
    const [begin, end] = [start * this.width, (start + size) * this.width];
    if (!(this.stored instanceof ScaledBytes)) return this.stored.subarray(begin, end);
    const values = new Float32Array(end - begin);
    this.stored.copyTo(values, 0, begin, end);
    return values;
  }

  get epochsCompleted(): number {
    return this.epochs;
  }

  /** The next `batchSize` examples (1 ≤ batchSize ≤ count), exactly as TF1 picks them. */
  nextBatch(batchSize: number): Batch {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.count) {
      // TF1 silently returns a short batch when batch_size > n; refuse instead.
      throw new RangeError(`nextBatch: batch size ${batchSize} must be an integer from 1 to ${this.count}`);
    }
    const start = this.indexInEpoch;
    if (this.epochs === 0 && start === 0) this.reshuffle();
    if (start + batchSize > this.count) {
      this.epochs += 1;
      const rest = this.order.slice(start, this.count);
      this.reshuffle();
      this.indexInEpoch = batchSize - rest.length;
      return this.gather(rest, this.order.subarray(0, this.indexInEpoch));
    }
    this.indexInEpoch += batchSize;
    return this.gather(this.order.subarray(start, this.indexInEpoch));
  }

  getState(): DataSetState {
    return { order: Array.from(this.order), indexInEpoch: this.indexInEpoch, epochsCompleted: this.epochs };
  }

  /** Restores a state from getState(); a state that does not fit this data set is GC705. */
  setState(state: DataSetState): void {
    const problem = checkState(state, this.count);
    if (problem) fail('GC705', { problem });
    this.order = Uint32Array.from(state.order);
    this.indexInEpoch = state.indexInEpoch;
    this.epochs = state.epochsCompleted;
  }

  /** order = order[perm]: a fresh shuffle composed with the current order, as TF1 does. */
  private reshuffle(): void {
    const perm = this.random.permutation(this.count);
    const next = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) next[i] = this.order[perm[i]!]!;
    this.order = next;
  }

  /** Copies the rows named by `parts`, in order, into fresh arrays. */
  private gather(...parts: Uint32Array[]): Batch {
    const size = parts.reduce((n, p) => n + p.length, 0);
    const { width } = this;
    const classes = labelWidth(this.shape);
    const stored = this.stored;
    const features = stored instanceof Int32Array ? new Int32Array(size * width) : new Float32Array(size * width);
    const labels = new Float32Array(size * classes);
    const labelIds = new Int32Array(size);
    const lengths = this.lengths ? new Int32Array(size) : undefined;
    const classified = this.shape.targets === undefined;
    let row = 0;
    for (const part of parts) {
      for (const index of part) {
        if (stored instanceof ScaledBytes) stored.copyTo(features as Float32Array, row * width, index * width, (index + 1) * width);
        else features.set(stored.subarray(index * width, (index + 1) * width), row * width);
        const label = this.labels.subarray(index * classes, (index + 1) * classes);
        labels.set(label, row * classes);
        labelIds[row] = classified ? label.indexOf(1) : -1;
        if (lengths) lengths[row] = this.lengths![index]!;
        row++;
      }
    }
    return { features, images: features, labels, labelIds, ...(lengths ? { lengths } : {}), size, shape: this.shape };
  }
}

/** A batch of `size` examples from caller-owned arrays (one-hot labels, all zeros is class -1, unknown; or a regression dataset's targets). */
export function makeBatch(features: FeatureArray, labels: Float32Array, size: number, shape: ExampleShape = MNIST_SHAPE, lengths?: Int32Array): Batch {
  const labelIds = new Int32Array(size).fill(-1);
  if (shape.targets === undefined) for (let i = 0; i < size; i++) labelIds[i] = labels.subarray(i * shape.classes, (i + 1) * shape.classes).indexOf(1);
  return { features, images: features, labels, labelIds, ...(lengths ? { lengths } : {}), size, shape };
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Why `state` cannot be restored onto a data set of `count` examples, or undefined if it can. */
function checkState(state: DataSetState, count: number): DataSetStateProblem | undefined {
  const { order, indexInEpoch, epochsCompleted } = state;
  if (!Array.isArray(order) || order.length !== count) {
    return { kind: 'order_length', entries: Array.isArray(order) ? order.length : null, count };
  }
  const seen = new Uint8Array(count);
  for (const index of order) {
    if (!Number.isInteger(index) || index < 0 || index >= count || seen[index]) {
      return { kind: 'order_not_permutation', count, entry: String(index) };
    }
    seen[index] = 1;
  }
  if (!Number.isInteger(indexInEpoch) || indexInEpoch < 0 || indexInEpoch > count) {
    return { kind: 'index_in_epoch', value: String(indexInEpoch), count };
  }
  if (!Number.isInteger(epochsCompleted) || epochsCompleted < 0) {
    return { kind: 'epochs_completed', value: String(epochsCompleted) };
  }
  return undefined;
}
