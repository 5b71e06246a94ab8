/**
 * Dropout as one tfjs kernel whose mask is drawn where the tensor lives. On
 * the CPU backends rnn/dropout.ts computes the mask in JavaScript and uploads
 * it: on a GPU that is tens of milliseconds a step for the reference notebook's masks. A
 * backend registering this kernel draws it on the device from the same
 * counter-based hash of (seed, element index) (maskHash below), so every
 * backend draws the same masks.
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

/** lowbias32 (Chris Wellons' integer hash); int32 in and out. */
export function lowbias32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x | 0;
}

/** The two hash keys of a seed, so masks of different seeds are not index permutations of one another. */
export function maskKeys(seed: number): [keyA: number, keyB: number] {
  return [lowbias32(seed), lowbias32(seed ^ 0x5bd1e995)];
}

/**
 * Element i's hash: it is kept when (hash >>> 8) · 2⁻²⁴, a uniform 24-bit
 * fraction, is below keepProb (as float32). Every backend computes this.
 */
export function maskHash(keyA: number, keyB: number, index: number): number {
  return lowbias32(lowbias32(index ^ keyA) ^ keyB);
}

/** Element i is kept when (maskHash >>> 8) < maskLimit: (hash >>> 8) · 2⁻²⁴ < float32(keepProb), scaled by 2²⁴ (exact). */
export function maskLimit(keepProb: number): number {
  return Math.fround(keepProb) * 16777216;
}

/**
 * Writes the 0/1 keep mask of elements first … first + size − 1 (indices
 * counted from the start of the whole batch) to target[start …].
 */
export function fillMask(target: Float32Array, start: number, size: number, keepProb: number, seed: number, first: number): void {
  const [keyA, keyB] = maskKeys(seed);
  const limit = maskLimit(keepProb);
  for (let i = 0; i < size; i++) target[start + i] = maskHash(keyA, keyB, first + i) >>> 8 < limit ? 1 : 0;
}

/**
 * The mask alone as a kernel, for backends whose memory JavaScript can write
 * in place (wasm): drawing it there spares a mask-sized array per dropout and
 * step, which kept V8's collector busy on the cores training runs on.
 *
 *   GraphcDropoutMask
 *     inputs  none
 *     attrs   shape; keepProb in (0, 1); seed, a uint32; first, the whole
 *             batch's index of the mask's first element
 *     outputs [mask] (float32, shape), element i as fillMask draws first + i
 */
export const DROPOUT_MASK = 'GraphcDropoutMask';

export interface DropoutMaskAttrs extends DropoutAttrs {
  readonly shape: readonly number[];
  readonly first: number;
}

export function hasMaskKernel(backend = tf.getBackend()): boolean {
  return tf.getKernel(DROPOUT_MASK, backend) !== undefined;
}

export function drawMask(attrs: DropoutMaskAttrs): tf.Tensor {
  return tf.engine().runKernel(DROPOUT_MASK, {}, { ...attrs, shape: [...attrs.shape] });
}

export function hasFusedDropout(backend = tf.getBackend()): boolean {
  return tf.getKernel(DROPOUT, backend) !== undefined;
}

export function fusedDropout<T extends tf.Tensor>(x: T, keepProb: number, seed: number): T {
  const attrs: DropoutAttrs = { keepProb, seed };
  return tf.engine().runKernel(DROPOUT, { x }, { ...attrs }) as T;
}

/** GraphcDropout's gradient: the same mask applied to dy (the mask is a function of seed and index). */
export const dropoutGradConfig: tf.GradConfig = {
  kernelName: DROPOUT,
  gradFunc: (dy, _saved, attrs) => {
    const { keepProb, seed } = attrs as unknown as DropoutAttrs;
    return { x: () => fusedDropout(dy as tf.Tensor, keepProb, seed) };
  },
};
