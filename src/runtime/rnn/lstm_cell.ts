/**
 * The composite `lstm` lowering: TF1's `BasicLSTMCell` unrolled over time with
 * plain tfjs ops, so tfjs's autodiff supplies the gradients. It is the
 * reference the fused `block_lstm` lowering is checked against.
 */
import { tf } from '../tf.js';
import { FORGET_BIAS } from '../kernels/lstm_sequence.js';
import { lstmDims, type LstmWeights } from './lstm_weights.js';
import { unrollWithState, type SequenceOptions, type Unrolled } from './unroll.js';

export interface LstmSequenceOptions extends SequenceOptions {
  /** Added to the forget gate's pre-activation; default FORGET_BIAS (1.0), as the reference notebook's cells use. */
  readonly forgetBias?: number;
}

/** An LSTM's state: the cell c and the output h, both [B, H]. */
export interface LstmState {
  readonly c: tf.Tensor2D;
  readonly h: tf.Tensor2D;
}

/**
 * Runs an LSTM cell over x [B, T, I] from a zero state (c, h) and returns every
 * step's output h, [B, T, H].
 */
export function lstmSequence(x: tf.Tensor3D, w: LstmWeights, options: LstmSequenceOptions): tf.Tensor3D {
  const { outputs, state } = lstmSequenceWithState(x, w, options);
  tf.dispose([state.c, state.h]);
  return outputs;
}

/** lstmSequence, and the final state (c, h). */
export function lstmSequenceWithState(x: tf.Tensor3D, w: LstmWeights, options: LstmSequenceOptions): Unrolled<LstmState> {
  const [batch, steps, inputSize] = x.shape;
  const { units } = lstmDims(w, inputSize);
  if (steps === 0) throw new Error('lstmSequence: the sequence has no time steps');
  const forgetBias = options.forgetBias ?? FORGET_BIAS;
  return unrollWithState<LstmState>(
    x,
    () => ({ c: tf.zeros([batch, units]), h: tf.zeros([batch, units]) }),
    (xt, state) => {
      const next = lstmCellStep(xt, state, w, forgetBias);
      return { state: next, output: next.h };
    },
    options,
    (s) => [s.c, s.h],
    ([c, h]) => ({ c: c!, h: h! }),
  );
}

/**
 * One BasicLSTMCell step, op for op as TF1 builds it:
 *   i, j, f, o = split(concat([x, h]) @ kernel + bias, 4)
 *   c' = c·σ(f + forget_bias) + σ(i)·tanh(j);  h' = tanh(c')·σ(o)
 */
export function lstmCellStep(x: tf.Tensor2D, state: LstmState, w: LstmWeights, forgetBias: number): LstmState {
  const gates = tf.add<tf.Tensor2D>(tf.matMul(tf.concat([x, state.h], 1), w.kernel), w.bias);
  const [i, j, f, o] = tf.split(gates, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const c: tf.Tensor2D = tf.add(tf.mul(state.c, tf.sigmoid(tf.add(f, forgetBias))), tf.mul(tf.sigmoid(i), tf.tanh(j)));
  const h: tf.Tensor2D = tf.mul(tf.tanh(c), tf.sigmoid(o));
  return { c, h };
}
