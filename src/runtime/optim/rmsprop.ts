/**
 * TF1's tf.train.RMSPropOptimizer (ApplyRMSProp / ApplyCenteredRMSProp):
 *   ms ← ms + (g² − ms)·(1 − decay)            (ms starts at 1, not 0)
 *   mg ← mg + (g − mg)·(1 − decay)              (centered only)
 *   mom ← momentum·mom + lr·g / sqrt(ms − mg² + ε)
 *   p ← p − mom
 * Unlike PyTorch's RMSprop, ε is inside the square root, ms starts at 1 and
 * the learning rate enters the momentum buffer. Slots: rms, momentum (and mg when centered).
 */
import { tf } from '../tf.js';
import type { SlotRule } from './slotted.js';

export interface RmsPropConfig {
  readonly type: 'rmsprop';
  readonly learningRate: number;
  readonly decay: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
}

export function rmspropRule(c: RmsPropConfig): SlotRule {
  return {
    name: 'RMSProp',
    slots: c.centered ? { rms: 1, momentum: 0, mg: 0 } : { rms: 1, momentum: 0 },
    update(p, g, { rms, momentum, mg }, { learningRate: lr }) {
      const rmsNew = tf.add(rms!, tf.mul(tf.sub(tf.square(g), rms!), 1 - c.decay));
      const mgNew = c.centered ? tf.add(mg!, tf.mul(tf.sub(g, mg!), 1 - c.decay)) : undefined;
      const meanSquare = mgNew ? tf.sub(rmsNew, tf.square(mgNew)) : rmsNew;
      const step = tf.div(tf.mul(g, lr), tf.sqrt(tf.add(meanSquare, c.epsilon)));
      const momentumNew = tf.add(tf.mul(momentum!, c.momentum), step);
      return { variable: tf.sub(p, momentumNew), slots: { rms: rmsNew, momentum: momentumNew, ...(mgNew ? { mg: mgNew } : {}) } };
    },
  };
}
