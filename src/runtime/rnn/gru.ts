/**
 * The composite `gru` lowering: TF1's `GRUCell` unrolled over time with plain
 * tfjs ops, so tfjs's autodiff supplies the gradients. It is the reference the
 * fused `block_gru` lowering is checked against.
 */
import { tf } from '../tf.js';
import { gruDims, type GruWeights } from './gru_weights.js';

export interface SequenceOptions {
  /**
   * Run over the time-reversed input and reverse the outputs back, as
   * `bidirectional_dynamic_rnn` does for its backward cell: output t is the
   * state after consuming x[T-1] … x[t].
   */
  readonly reverse: boolean;
}

/**
 * Runs a GRU cell over x [B, T, I] from a zero state and returns every
 * step's output [B, T, H] (a GRU's output is its new state).
 */
export function gruSequence(x: tf.Tensor3D, w: GruWeights, options: SequenceOptions): tf.Tensor3D {
  const [batch, steps, inputSize] = x.shape;
  const { units } = gruDims(w, inputSize);
  if (steps === 0) throw new Error('gruSequence: the sequence has no time steps');
  return tf.tidy(() => {
    // tfjs's unstack gradient breaks when there is a single output, hence the reshape for T = 1.
    const inputs = steps === 1 ? [tf.reshape(x, [batch, inputSize]) as tf.Tensor2D] : (tf.unstack(x, 1) as tf.Tensor2D[]);
    const outputs: tf.Tensor2D[] = new Array<tf.Tensor2D>(steps);
    let h: tf.Tensor2D = tf.zeros([batch, units]);
    for (const t of timeOrder(steps, options.reverse)) {
      h = gruCellStep(inputs[t]!, h, w, units);
      outputs[t] = h;
    }
    return tf.stack(outputs, 1) as tf.Tensor3D;
  });
}

/** One GRUCell step, op for op as TF1 builds it. */
export function gruCellStep(x: tf.Tensor2D, h: tf.Tensor2D, w: GruWeights, units: number): tf.Tensor2D {
  const value = tf.sigmoid(tf.add(tf.matMul(tf.concat([x, h], 1), w.gatesKernel), w.gatesBias));
  const [r, u] = tf.split(value, [units, units], 1) as [tf.Tensor2D, tf.Tensor2D];
  const c = tf.tanh(tf.add(tf.matMul(tf.concat([x, tf.mul(r, h)], 1), w.candidateKernel), w.candidateBias));
  // u*h + (1-u)*c
  return tf.add(tf.mul(u, h), tf.mul(tf.sub(1, u), c));
}

/** The time indices in the order a (possibly reversed) cell consumes them. */
export function timeOrder(steps: number, reverse: boolean): number[] {
  const order = Array.from({ length: steps }, (_, i) => i);
  return reverse ? order.reverse() : order;
}
