/**
 * TF1's Adam update of one variable as one tfjs kernel, for backends where
 * each op costs a dispatch (webgpu) or a pass over memory (wasm): a backend
 * gets it by registering the kernel below (kernels/<backend>/adam_update.ts);
 * elsewhere optim/adam.ts updates with the composite ops, which are the
 * reference the kernels are tested against.
 *
 * Kernel contract (float32):
 *   GraphcAdamUpdate
 *     inputs  variable [S], slots [2, ...S] (m, then v), gradient [S]
 *     attrs   learningRate — lr_t, the step size with TF1's bias corrections
 *             folded in; beta1, beta2, epsilon
 *     outputs [variable', slots'] with
 *             m' = β1·m + (1−β1)·g,  v' = β2·v + (1−β2)·g²,
 *             variable' = variable − lr_t·m' / (√v' + ε)
 */
import { tf } from '../tf.js';

export const ADAM_UPDATE = 'GraphcAdamUpdate';

export interface AdamUpdateAttrs {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export function hasFusedAdam(backend = tf.getBackend()): boolean {
  return tf.getKernel(ADAM_UPDATE, backend) !== undefined;
}

/** Runs the kernel; the caller owns the two new tensors. */
export function fusedAdamUpdate(variable: tf.Tensor, slots: tf.Tensor, gradient: tf.Tensor, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor] {
  const [next, nextSlots] = tf.engine().runKernel(ADAM_UPDATE, { variable, slots, gradient }, { ...attrs }) as tf.Tensor[];
  return [next!, nextSlots!];
}
