/**
 * The composite `gru` lowering: TF1's `GRUCell` unrolled over time with plain
 * tfjs ops, so tfjs's autodiff supplies the gradients. It is the reference the
 * fused `block_gru` lowering is checked against. A reset_after cell's weights
 * (gru_weights.ts) make it Keras's and PyTorch's GRU instead.
 */
import { tf } from '../tf.js';
import { gruDims, type GruWeights } from './gru_weights.js';
import { unrollWithState, type SequenceOptions, type Unrolled } from './unroll.js';

export type { SequenceOptions } from './unroll.js';

/**
 * Runs a GRU cell over x [B, T, I] from a zero state and returns every
 * step's output [B, T, H] (a GRU's output is its new state).
 */
export function gruSequence(x: tf.Tensor3D, w: GruWeights, options: SequenceOptions): tf.Tensor3D {
  const { outputs, state } = gruSequenceWithState(x, w, options);
  state.dispose();
  return outputs;
}

/** gruSequence, and the final state [B, H]. */
export function gruSequenceWithState(x: tf.Tensor3D, w: GruWeights, options: SequenceOptions): Unrolled<tf.Tensor2D> {
  const [batch, steps, inputSize] = x.shape;
  const { units } = gruDims(w, inputSize);
  if (steps === 0) throw new Error('gruSequence: the sequence has no time steps');
  const recurrentBias = w.candidateRecurrentBias;
  // The candidate kernel's x-rows and h-rows, split once rather than every step.
  const split = recurrentBias === undefined ? undefined : (tf.split(w.candidateKernel, [inputSize, units], 0) as [tf.Tensor2D, tf.Tensor2D]);
  const step =
    split === undefined || recurrentBias === undefined
      ? (xt: tf.Tensor2D, h: tf.Tensor2D) => gruCellStep(xt, h, w, units)
      : (xt: tf.Tensor2D, h: tf.Tensor2D) => gruResetAfterStep(xt, h, w, split[0], split[1], recurrentBias, units);
  try {
    return unrollWithState<tf.Tensor2D>(
      x,
      () => tf.zeros([batch, units]),
      (xt, h) => {
        const next = step(xt, h);
        return { state: next, output: next };
      },
      options,
      (h) => [h],
    );
  } finally {
    if (split !== undefined) tf.dispose(split);
  }
}

/** One GRUCell step, op for op as TF1 builds it. */
export function gruCellStep(x: tf.Tensor2D, h: tf.Tensor2D, w: GruWeights, units: number): tf.Tensor2D {
  const value = tf.sigmoid(tf.add(tf.matMul(tf.concat([x, h], 1), w.gatesKernel), w.gatesBias));
  const [r, u] = tf.split(value, [units, units], 1) as [tf.Tensor2D, tf.Tensor2D];
  const c = tf.tanh(tf.add(tf.matMul(tf.concat([x, tf.mul(r, h)], 1), w.candidateKernel), w.candidateBias));
  // u*h + (1-u)*c
  return tf.add(tf.mul(u, h), tf.mul(tf.sub(1, u), c));
}

/**
 * One reset_after step (Keras GRU(reset_after=True), PyTorch nn.GRU): the
 * reset gate scales the recurrent product, bias included:
 * c = tanh(x·W_cx + b_c + r ⊙ (h·W_ch + b_ch)).
 */
export function gruResetAfterStep(
  x: tf.Tensor2D,
  h: tf.Tensor2D,
  w: GruWeights,
  candidateX: tf.Tensor2D,
  candidateH: tf.Tensor2D,
  recurrentBias: tf.Tensor1D,
  units: number,
): tf.Tensor2D {
  const value = tf.sigmoid(tf.add(tf.matMul(tf.concat([x, h], 1), w.gatesKernel), w.gatesBias));
  const [r, u] = tf.split(value, [units, units], 1) as [tf.Tensor2D, tf.Tensor2D];
  const recurrent = tf.add(tf.matMul(h, candidateH), recurrentBias);
  const c = tf.tanh(tf.add(tf.add(tf.matMul(x, candidateX), w.candidateBias), tf.mul(r, recurrent)));
  return tf.add(tf.mul(u, h), tf.mul(tf.sub(1, u), c));
}
