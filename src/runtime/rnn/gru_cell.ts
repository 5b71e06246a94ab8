/**
 * The composite `gru` lowering: TF1's `GRUCell` unrolled over time with plain
 * tfjs ops, so tfjs's autodiff supplies the gradients. It is the reference the
 * fused `block_gru` lowering is checked against.
 */
import { tf } from '../tf.js';
import { gruDims, type GruWeights } from './gru_weights.js';
import { unrollSequence, type SequenceOptions } from './unroll.js';

export type { SequenceOptions } from './unroll.js';

/**
 * Runs a GRU cell over x [B, T, I] from a zero state and returns every
 * step's output [B, T, H] (a GRU's output is its new state).
 */
export function gruSequence(x: tf.Tensor3D, w: GruWeights, options: SequenceOptions): tf.Tensor3D {
  const [batch, steps, inputSize] = x.shape;
  const { units } = gruDims(w, inputSize);
  if (steps === 0) throw new Error('gruSequence: the sequence has no time steps');
  return unrollSequence(
    x,
    () => tf.zeros([batch, units]) as tf.Tensor2D,
    (xt, h) => {
      const next = gruCellStep(xt, h, w, units);
      return { state: next, output: next };
    },
    options.reverse,
  );
}

/** One GRUCell step, op for op as TF1 builds it. */
export function gruCellStep(x: tf.Tensor2D, h: tf.Tensor2D, w: GruWeights, units: number): tf.Tensor2D {
  const value = tf.sigmoid(tf.add(tf.matMul(tf.concat([x, h], 1), w.gatesKernel), w.gatesBias));
  const [r, u] = tf.split(value, [units, units], 1) as [tf.Tensor2D, tf.Tensor2D];
  const c = tf.tanh(tf.add(tf.matMul(tf.concat([x, tf.mul(r, h)], 1), w.candidateKernel), w.candidateBias));
  // u*h + (1-u)*c
  return tf.add(tf.mul(u, h), tf.mul(tf.sub(1, u), c));
}
