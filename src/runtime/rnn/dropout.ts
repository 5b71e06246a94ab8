/**
 * TF1 dropout (`tf.nn.dropout` with keep_prob, as DropoutWrapper uses it):
 * x / keep * mask, each element kept with probability keep.
 *
 * The mask is drawn per example: element j of example e (e counted from the
 * start of the whole batch) is kept when a hash of (seed, e, j) falls below
 * keep. A batch split across workers therefore sees exactly the masks the
 * whole batch would, whatever the split.
 */
import { tf } from '../tf.js';

/**
 * Applies dropout with a mask drawn from `seed`; x's first dimension is the
 * batch, and `exampleOffset` is the index of x's first example in the whole
 * batch. With keepProb >= 1 the input tensor itself is returned (no ops).
 */
export function dropout<T extends tf.Tensor>(x: T, keepProb: number, seed: number, exampleOffset = 0): T {
  if (!(keepProb > 0)) throw new RangeError(`dropout: keep probability must be in (0, 1], got ${keepProb}`);
  if (keepProb >= 1) return x;
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
  const threshold = keepProb * 4294967296;
  // Two rounds keyed by the seed, so that different seeds give unrelated masks.
  const [k1, k2] = [mix(seed ^ 0x5bd1e995), mix(seed + 0x9e3779b9)];
  const base = exampleOffset * perExample + k1;
  for (let i = 0; i < size; i++) mask[i] = mix(mix(base + i) ^ k2) < threshold ? 1 : 0;
  return mask;
}

/** A 32-bit integer hash (murmur3's finalizer, a bijection with good avalanche). */
function mix(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
