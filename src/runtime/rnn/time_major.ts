/**
 * Layout helpers the fused (`block_*`) lowerings share. They work time-major
 * ([T, B, ·], rows flattened to T·B) so that a step's slice is contiguous, and
 * convert at the sequence boundary once instead of strided-copying every step.
 */
import { tf } from '../tf.js';

/** x [B, T, F] → its rows in time-major order, [T·B, F]. */
export function timeMajorRows(x: tf.Tensor3D): tf.Tensor2D {
  const [batch, steps, features] = x.shape;
  return tf.reshape(tf.transpose(x, [1, 0, 2]), [steps * batch, features]);
}

/** Time-major rows [T·B, F] → [B, T, F] (the inverse of timeMajorRows). */
export function fromTimeMajorRows(rows: tf.Tensor2D, batch: number, steps: number): tf.Tensor3D {
  return tf.transpose(tf.reshape(rows, [steps, batch, rows.shape[1]]), [1, 0, 2]);
}

/** Per-step [B, F] outputs, indexed by time step → [B, T, F]. */
export function stackSteps(outputs: readonly tf.Tensor2D[]): tf.Tensor3D {
  return tf.transpose(tf.stack([...outputs], 0), [1, 0, 2]) as tf.Tensor3D;
}

/** Per-step [B, F] lists → time-major [T·B, F] rows (a contiguous concat). */
export function rowsOf(steps: readonly tf.Tensor2D[]): tf.Tensor2D {
  return tf.concat([...steps], 0);
}

/**
 * tf.unstack(t, 0), done in two levels (≈√T chunks, then each chunk): the
 * wasm backend's slice copies its whole input on every call, so a flat
 * unstack of T steps costs T full copies, two levels about 2√T.
 */
export function unstackSteps(t: tf.Tensor): tf.Tensor[] {
  const steps = t.shape[0]!;
  const chunk = Math.ceil(Math.sqrt(steps));
  if (steps <= 4) return tf.unstack(t, 0);
  const sizes: number[] = [];
  for (let s = 0; s < steps; s += chunk) sizes.push(Math.min(chunk, steps - s));
  return tf.split(t, sizes, 0).flatMap((part) => tf.unstack(part, 0));
}

/**
 * A time-major input projection [T·B, G·H] (G gates side by side) → for
 * each gate, its [B, H] slice at every time step: regrouped to [T, G, B, H]
 * so each step's parts are contiguous, then unstacked.
 */
export function gateSteps(projection: tf.Tensor2D, steps: number, batch: number, gates: number, units: number): tf.Tensor2D[][] {
  const grouped = tf.transpose(tf.reshape(projection, [steps, batch, gates, units]), [0, 2, 1, 3]);
  const parts = unstackSteps(grouped).map((p) => tf.unstack(p, 0) as tf.Tensor2D[]);
  return Array.from({ length: gates }, (_, k) => parts.map((p) => p[k]!));
}

/** The sizes a fused sequence computation works with. */
export interface SequenceDims {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
}

/**
 * Per-step lists as a fused forward pass saves them for its gradient: flat,
 * after `leading` other tensors, one run of `steps` tensors per key in order.
 * Returns the leading tensors and the lists by key.
 */
export function unpackStepLists<K extends string>(
  saved: readonly tf.Tensor[],
  leading: number,
  steps: number,
  keys: readonly K[],
): { leading: tf.Tensor2D[]; lists: Record<K, tf.Tensor2D[]> } {
  const list = (k: number): tf.Tensor2D[] => saved.slice(leading + k * steps, leading + (k + 1) * steps) as tf.Tensor2D[];
  return { leading: saved.slice(0, leading) as tf.Tensor2D[], lists: Object.fromEntries(keys.map((key, k) => [key, list(k)])) as Record<K, tf.Tensor2D[]> };
}
