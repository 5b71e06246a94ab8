/**
 * Dropout as one tfjs kernel whose mask is drawn where the tensor lives. On
 * the CPU backends rnn/dropout.ts draws the mask with tf.randomUniform, which
 * is computed in JavaScript and uploaded: on a GPU that is tens of
 * milliseconds a step for the seed's masks. A backend registering this
 * kernel draws it from a counter-based hash of (seed, element index) instead:
 * the same distribution and the same determinism per seed, but other masks
 * than the CPU backends draw.
 *
 * Kernel contract:
 *   GraphcDropout
 *     inputs  x (float32, any shape)
 *     attrs   keepProb in (0, 1); seed, a uint32
 *     outputs [y], y = x / keepProb ⊙ mask, mask_i ∈ {0, 1} with P(1) = keepProb,
 *             a function of (seed, i) only
 * Its gradient is the same kernel applied to dy with the same attrs.
 */
import { tf } from '../tf.js';

export const DROPOUT = 'GraphcDropout';

export interface DropoutAttrs {
  readonly keepProb: number;
  readonly seed: number;
}

export function hasFusedDropout(backend = tf.getBackend()): boolean {
  return tf.getKernel(DROPOUT, backend) !== undefined;
}

export function fusedDropout<T extends tf.Tensor>(x: T, keepProb: number, seed: number): T {
  const attrs: DropoutAttrs = { keepProb, seed };
  return tf.engine().runKernel(DROPOUT, { x }, { ...attrs }) as T;
}

tf.registerGradient({
  kernelName: DROPOUT,
  gradFunc: (dy, _saved, attrs) => {
    const { keepProb, seed } = attrs as unknown as DropoutAttrs;
    return { x: () => fusedDropout(dy as tf.Tensor, keepProb, seed) };
  },
});
