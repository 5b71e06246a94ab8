/**
 * An in-memory split (MNIST's or a data file's) with TF1's `DataSet.next_batch(batch_size,
 * shuffle=True)` semantics (tensorflow/contrib/learn/.../datasets/mnist.py):
 * shuffle on the first call; when a batch would run past the end of the
 * epoch, take what is left of the old order, reshuffle, and fill the rest of
 * the batch from the new order.
 *
 * The feature arrays are never reordered: an index permutation (`order`) stands
 * for TF1's reordered `_images`/`_labels`, and a batch copies rows through it.
 */
import type { DataSetStateProblem } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import type { RandomStream } from '../random.js';

export const IMAGE_SIZE = 28 * 28;
export const NUM_CLASSES = 10;

/** What one example is: its features' shape and how many classes its label chooses from. */
export interface ExampleShape {
  readonly features: readonly number[];
  readonly classes: number;
}

export const MNIST_SHAPE: ExampleShape = { features: [IMAGE_SIZE], classes: NUM_CLASSES };

export interface Batch {
  /** [size, ...shape.features] row-major, fresh array. */
  readonly features: Float32Array;
  /** The same array as `features` (an image set's name for it). */
  readonly images: Float32Array;
  /** [size, classes] row-major one-hot, fresh array. */
  readonly labels: Float32Array;
  /** [size] class ids. */
  readonly labelIds: Int32Array;
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
  readonly features: Float32Array;
  readonly labels: Float32Array;
  readonly count: number;
  readonly shape: ExampleShape;
  /** Floats per example. */
  readonly width: number;
  private readonly random: RandomStream;
  private order: Uint32Array;
  private indexInEpoch = 0;
  private epochs = 0;

  /**
   * `features` is [count, ...shape.features] and `labels` [count, classes]
   * one-hot; both are kept, not copied. `random` is shared with the other
   * splits, as TF1 shares numpy's global generator. The shape defaults to MNIST's.
   */
  constructor(features: Float32Array, labels: Float32Array, random: RandomStream, shape: ExampleShape = MNIST_SHAPE) {
    const classes = shape.classes;
    const width = shape.features.reduce((a, b) => a * b, 1);
    if (labels.length % classes !== 0) {
      throw new RangeError(`DataSet: labels length ${labels.length} is not a multiple of ${classes}`);
    }
    const count = labels.length / classes;
    if (features.length !== count * width) {
      throw new RangeError(`DataSet: ${count} labels need ${count * width} features, features has ${features.length}`);
    }
    this.features = features;
    this.labels = labels;
    this.count = count;
    this.shape = shape;
    this.width = width;
    this.random = random;
    this.order = identity(count);
  }

  /** The features of an image set, by their MNIST name. */
  get images(): Float32Array {
    return this.features;
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
    const { classes } = this.shape;
    const features = new Float32Array(size * width);
    const labels = new Float32Array(size * classes);
    const labelIds = new Int32Array(size);
    let row = 0;
    for (const part of parts) {
      for (const index of part) {
        features.set(this.features.subarray(index * width, (index + 1) * width), row * width);
        const oneHot = this.labels.subarray(index * classes, (index + 1) * classes);
        labels.set(oneHot, row * classes);
        labelIds[row] = oneHot.indexOf(1);
        row++;
      }
    }
    return { features, images: features, labels, labelIds, size, shape: this.shape };
  }
}

/** A batch of `size` examples from caller-owned arrays (one-hot labels; all zeros is class -1, unknown). */
export function makeBatch(features: Float32Array, labels: Float32Array, size: number, shape: ExampleShape = MNIST_SHAPE): Batch {
  const labelIds = new Int32Array(size);
  for (let i = 0; i < size; i++) labelIds[i] = labels.subarray(i * shape.classes, (i + 1) * shape.classes).indexOf(1);
  return { features, images: features, labels, labelIds, size, shape };
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
