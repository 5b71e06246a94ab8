/**
 * TF1 dropout (`tf.nn.dropout` with keep_prob, as DropoutWrapper uses it):
 * x / keep * mask, each element kept with probability keep.
 *
 * The mask is drawn per example: element j of example e (e counted from the
 * start of the whole batch) is kept when a hash of (seed, e, j) falls below
 * keep. A batch split across workers therefore sees exactly the masks the
 * whole batch would, whatever the split.
 */
import { fusedDropout, hasFusedDropout } from '../kernels/dropout.js';
import { tf } from '../tf.js';

/**
 * Applies dropout with a mask drawn from `seed`; x's first dimension is the
 * batch, and `exampleOffset` is the index of x's first example in the whole
 * batch. With keepProb >= 1 the input tensor itself is returned (no ops).
 */
export function dropout<T extends tf.Tensor>(x: T, keepProb: number, seed: number, exampleOffset = 0): T {
  if (!(keepProb > 0)) throw new RangeError(`dropout: keep probability must be in (0, 1], got ${keepProb}`);
  if (keepProb >= 1) return x;
  // A GPU backend draws the mask on the device (other masks than these, same distribution).
  if (hasFusedDropout()) return fusedDropout(x, keepProb, seed);
  return tf.tidy(() => {
    // The mask is a constant to autodiff, so dx = dy * mask / keep as in TF.
    const mask = tf.tensor(dropoutMask(x.shape, keepProb, seed, exampleOffset), x.shape, 'float32');
    return tf.mul(tf.div(x, keepProb), mask) as T;
  });
}

/** The 0/1 keep mask of a [batch, ...] tensor (see the module comment). */
export function dropoutMask(shape: readonly number[], keepProb: number, seed: number, exampleOffset: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const perExample = shape.length === 0 ? 1 : size / shape[0]!;
  const mask = new Float32Array(size);
  // One hash per pair of elements (at even global indices, so any split agrees), 16 uniform bits each:
  // keep probabilities are quantised to 1/65536.
  const limit = Math.round(keepProb * 65536);
  const k1 = mix(seed ^ 0x5bd1e995);
  const k2 = mix(seed + 0x9e3779b9);
  const base = exampleOffset * perExample;
  let bits = 0;
  for (let i = 0; i < size; i++) {
    const e = base + i;
    if (i === 0 || e % 2 === 0) bits = mix((Math.imul(Math.floor(e / 2) | 0, 0x9e3779b1) + k1) ^ k2);
    mask[i] = (e % 2 === 0 ? bits & 0xffff : bits >>> 16) < limit ? 1 : 0;
  }
  return mask;
}

/** A 32-bit integer hash (murmur3's finalizer, a bijection with good avalanche); int32 in and out. */
function mix(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}
