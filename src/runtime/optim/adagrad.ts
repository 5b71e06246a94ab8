/**
 * TF1's tf.train.AdagradOptimizer (ApplyAdagrad): no epsilon, the
 * accumulator starts at initial_accumulator_value (0.1 by default)
 *   acc ← acc + g²;  p ← p − lr·g / sqrt(acc)
 * PyTorch's Adagrad is the same with initial_accumulator_value 0.1 and eps 0
 * (its defaults are 0 and 1e-10). Slot: accumulator.
 */
import { tf } from '../tf.js';
import type { SlotRule } from './slotted.js';

export interface AdagradConfig {
  readonly type: 'adagrad';
  readonly learningRate: number;
  readonly initialAccumulatorValue: number;
}

export function adagradRule(c: AdagradConfig): SlotRule {
  return {
    name: 'Adagrad',
    slots: { accumulator: c.initialAccumulatorValue },
    update(p, g, { accumulator }, { learningRate: lr }) {
      const next = tf.add(accumulator!, tf.square(g));
      return { variable: tf.sub(p, tf.div(tf.mul(g, lr), tf.sqrt(next))), slots: { accumulator: next } };
    },
  };
}
