/**
 * TF1 dropout (`tf.nn.dropout` with keep_prob, as DropoutWrapper uses it):
 * x / keep * floor(keep + U[0, 1)), i.e. each element is kept with
 * probability keep and scaled by 1/keep.
 */
import { fusedDropout, hasFusedDropout } from '../kernels/dropout.js';
import { tf } from '../tf.js';

/**
 * Applies dropout with a mask drawn from `seed`. With keepProb >= 1 the input
 * tensor itself is returned (no ops, no random draw).
 */
export function dropout<T extends tf.Tensor>(x: T, keepProb: number, seed: number): T {
  if (!(keepProb > 0)) throw new RangeError(`dropout: keep probability must be in (0, 1], got ${keepProb}`);
  if (keepProb >= 1) return x;
  // A GPU backend draws the mask on the device (other masks than these, same distribution).
  if (hasFusedDropout()) return fusedDropout(x, keepProb, seed);
  return tf.tidy(() => {
    // The mask is a constant to autodiff: tfjs gives floor a zero gradient and
    // randomUniform none, so dx = dy * mask / keep as in TF.
    const mask = tf.floor(tf.add(tf.randomUniform(x.shape, 0, 1, 'float32', seed), keepProb));
    return tf.mul(tf.div(x, keepProb), mask) as T;
  });
}
