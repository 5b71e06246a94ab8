/**
 * An in-memory MNIST split with TF1's `DataSet.next_batch(batch_size,
 * shuffle=True)` semantics (tensorflow/contrib/learn/.../datasets/mnist.py):
 * shuffle on the first call; when a batch would run past the end of the
 * epoch, take what is left of the old order, reshuffle, and fill the rest of
 * the batch from the new order.
 *
 * The pixel arrays are never reordered: an index permutation (`order`) stands
 * for TF1's reordered `_images`/`_labels`, and a batch copies rows through it.
 */
import type { DataSetStateProblem } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import type { RandomStream } from '../random.js';

export const IMAGE_SIZE = 28 * 28;
export const NUM_CLASSES = 10;

export interface Batch {
  /** [size, 784] row-major, fresh array. */
  readonly images: Float32Array;
  /** [size, 10] row-major one-hot, fresh array. */
  readonly labels: Float32Array;
  readonly size: number;
}

/** Everything needed to resume batching exactly; JSON-serialisable. */
export interface DataSetState {
  /** The current example order: order[k] is the k-th example of this epoch. */
  readonly order: number[];
  readonly indexInEpoch: number;
  readonly epochsCompleted: number;
}

export class DataSet {
  readonly images: Float32Array;
  readonly labels: Float32Array;
  readonly count: number;
  private readonly random: RandomStream;
  private order: Uint32Array;
  private indexInEpoch = 0;
  private epochs = 0;

  /**
   * `images` is [count, 784] and `labels` [count, 10]; both are kept, not
   * copied. `random` is shared with the other splits, as TF1 shares numpy's
   * global generator.
   */
  constructor(images: Float32Array, labels: Float32Array, random: RandomStream) {
    if (labels.length % NUM_CLASSES !== 0) {
      throw new RangeError(`DataSet: labels length ${labels.length} is not a multiple of ${NUM_CLASSES}`);
    }
    const count = labels.length / NUM_CLASSES;
    if (images.length !== count * IMAGE_SIZE) {
      throw new RangeError(`DataSet: ${count} labels need ${count * IMAGE_SIZE} pixels, images has ${images.length}`);
    }
    this.images = images;
    this.labels = labels;
    this.count = count;
    this.random = random;
    this.order = identity(count);
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
    const images = new Float32Array(size * IMAGE_SIZE);
    const labels = new Float32Array(size * NUM_CLASSES);
    let row = 0;
    for (const part of parts) {
      for (const index of part) {
        images.set(this.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE), row * IMAGE_SIZE);
        labels.set(this.labels.subarray(index * NUM_CLASSES, (index + 1) * NUM_CLASSES), row * NUM_CLASSES);
        row++;
      }
    }
    return { images, labels, size };
  }
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
