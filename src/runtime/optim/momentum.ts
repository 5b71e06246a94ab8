/**
 * SGD with momentum, as PyTorch's torch.optim.SGD (dampening 0) and TF1's
 * tf.train.MomentumOptimizer, which agree: the learning rate multiplies the
 * step, not the velocity, so a changing rate changes the next step at once
 *   buf ← μ·buf + g
 *   p ← p − lr·buf                (nesterov: p ← p − lr·(g + μ·buf))
 * Keras's SGD (velocity ← μ·velocity − lr·g) differs whenever lr changes.
 * Slot: momentum. Momentum 0 is plain gradient descent (sgd.ts).
 */
import { tf } from '../tf.js';
import type { SlotRule } from './slotted.js';

export interface MomentumConfig {
  readonly type: 'sgd';
  readonly learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
}

export function momentumRule(c: MomentumConfig): SlotRule {
  return {
    name: 'SGD with momentum',
    slots: { momentum: 0 },
    update(p, g, { momentum: buf }, { learningRate: lr }) {
      const next = tf.add(tf.mul(buf!, c.momentum), g);
      const direction = c.nesterov ? tf.add(g, tf.mul(next, c.momentum)) : next;
      return { variable: tf.sub(p, tf.mul(direction, lr)), slots: { momentum: next } };
    },
  };
}
