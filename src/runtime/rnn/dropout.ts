/**
 * TF1 dropout (`tf.nn.dropout` with keep_prob, as DropoutWrapper uses it):
 * x / keep * mask, each element kept with probability keep.
 *
 * The mask comes from a counter-based hash of (seed, element index), the one
 * kernels/dropout.ts defines for every backend, with the index counted from
 * the start of the whole batch: a batch split across workers therefore sees
 * exactly the masks the whole batch would, whatever the split.
 */
import { drawMask, fillMask, fusedDropout, hasFusedDropout, hasMaskKernel } from '../kernels/dropout.js';
import { tf } from '../tf.js';

/**
 * Applies dropout with a mask drawn from `seed`; x's first dimension is the
 * batch, and `exampleOffset` is the index of x's first example in the whole
 * batch. With keepProb >= 1 the input tensor itself is returned (no ops).
 */
export function dropout<T extends tf.Tensor>(x: T, keepProb: number, seed: number, exampleOffset = 0): T {
  if (!(keepProb > 0)) throw new RangeError(`dropout: keep probability must be in (0, 1], got ${keepProb}`);
  if (keepProb >= 1) return x;
  // A GPU backend draws the same masks on the device; a part of a split batch is drawn here,
  // its indices counted from the batch's start.
  if (exampleOffset === 0 && hasFusedDropout()) return fusedDropout(x, keepProb, seed);
  return tf.tidy(() => {
    // The mask is a constant to autodiff, so dx = dy * mask / keep as in TF.
    const mask = hasMaskKernel()
      ? drawMask({ shape: x.shape, keepProb, seed, first: exampleOffset * elementsPerExample(x.shape) })
      : tf.tensor(dropoutMask(x.shape, keepProb, seed, exampleOffset), x.shape, 'float32');
    return tf.mul(tf.div(x, keepProb), mask) as T;
  });
}

/** The 0/1 keep mask of a [batch, ...] tensor whose first example is example `exampleOffset` of the batch. */
export function dropoutMask(shape: readonly number[], keepProb: number, seed: number, exampleOffset: number): Float32Array {
  const mask = new Float32Array(tf.util.sizeFromShape([...shape]));
  fillMask(mask, 0, mask.length, keepProb, seed, exampleOffset * elementsPerExample(shape));
  return mask;
}

/** Elements per example of a [batch, ...] tensor. */
function elementsPerExample(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : tf.util.sizeFromShape(shape.slice(1));
}
