/**
 * What the composite (per-step) lowerings share: the options of a sequence
 * function, the time order a cell consumes, and the unrolled loop itself.
 */
import { timeOrder } from '../kernels/recurrent/sequence.js';
import { tf } from '../tf.js';

export interface SequenceOptions {
  /**
   * Run over the time-reversed input and reverse the outputs back, as
   * `bidirectional_dynamic_rnn` does for its backward cell: output t is the
   * state after consuming x[T-1] … x[t].
   */
  readonly reverse: boolean;
}

/** One cell step: the new state and the step's output. */
export type CellStep<S> = (x: tf.Tensor2D, state: S) => { readonly state: S; readonly output: tf.Tensor2D };

/**
 * Runs `step` over x [B, T, I] from `initial` in time order (reversed when
 * asked) and returns every step's output in input time order, [B, T, H].
 */
export function unrollSequence<S>(x: tf.Tensor3D, initial: () => S, step: CellStep<S>, reverse: boolean): tf.Tensor3D {
  const [batch, steps, inputSize] = x.shape;
  return tf.tidy(() => {
    // tfjs's unstack gradient breaks when there is a single output, hence the reshape for T = 1.
    const inputs = steps === 1 ? [tf.reshape(x, [batch, inputSize]) as tf.Tensor2D] : (tf.unstack(x, 1) as tf.Tensor2D[]);
    const outputs = new Array<tf.Tensor2D>(steps);
    let state = initial();
    for (const t of timeOrder(steps, reverse)) {
      const next = step(inputs[t]!, state);
      state = next.state;
      outputs[t] = next.output;
    }
    return tf.stack(outputs, 1) as tf.Tensor3D;
  });
}
