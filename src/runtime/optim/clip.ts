/**
 * Gradient clipping, applied to the gradient of the whole batch (with
 * --workers, after the workers' shares are summed):
 * - globalNorm: TF1's clip_by_global_norm: every gradient times
 *   clip / max(norm, clip), norm = sqrt(Σ‖g‖²) over all of them
 *   (PyTorch's clip_grad_norm_ divides by norm + 1e-6 instead);
 * - value: TF1's clip_by_value / PyTorch's clip_grad_value_, each element into [−value, value].
 * Either way the global norm before clipping is returned, for metrics.jsonl.
 */
import { tf } from '../tf.js';

export type ClipConfig = { readonly globalNorm: number } | { readonly value: number };

/** sqrt(Σ‖g‖²): TF1's global_norm. */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** The clipped gradients (new tensors; the inputs are not disposed) and the norm before clipping. */
export function clipGradients(grads: readonly tf.Tensor[], clip: ClipConfig): { grads: tf.Tensor[]; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = globalNorm(grads);
    if ('value' in clip) return { grads: grads.map((g) => tf.clipByValue(g, -clip.value, clip.value)), norm };
    const scale = tf.div(clip.globalNorm, tf.maximum(norm, clip.globalNorm));
    return { grads: grads.map((g) => tf.mul(g, scale)), norm };
  });
}
