/**
 * PyTorch's torch.optim.AdamW: weight decay decoupled from the gradient
 * (Loshchilov & Hutter), then Adam with PyTorch's bias correction, epsilon
 * added to the corrected sqrt(v̂) (unlike TF1's Adam in adam.ts):
 *   p ← p − lr·wd·p
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   p ← p − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + ε)
 * Slots: m, v.
 */
import { tf } from '../tf.js';
import { powInt } from './engine-math.js';
import type { SlotRule } from './slotted.js';

export interface AdamWConfig {
  readonly type: 'adamw';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

export function adamwRule(c: AdamWConfig): SlotRule {
  return {
    name: 'AdamW',
    slots: { m: 0, v: 0 },
    update(p, g, { m, v }, { t, learningRate: lr }) {
      const decayed = c.weightDecay === 0 ? p : tf.mul(p, 1 - lr * c.weightDecay);
      const mNew = tf.add(tf.mul(m!, c.beta1), tf.mul(g, 1 - c.beta1));
      const vNew = tf.add(tf.mul(v!, c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
      // Scalars in doubles; only the results are rounded to float32. β^t without the engine's `**` (engine-math.ts).
      const stepSize = lr / (1 - powInt(c.beta1, t));
      const denom = tf.add(tf.div(tf.sqrt(vNew), Math.sqrt(1 - powInt(c.beta2, t))), c.epsilon);
      return { variable: tf.sub(decayed, tf.mul(tf.div(mNew, denom), stepSize)), slots: { m: mNew, v: vNew } };
    },
  };
}
