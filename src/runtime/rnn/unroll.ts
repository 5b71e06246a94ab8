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
  /**
   * Each example's length, int32 [B] (TF1 `dynamic_rnn(sequence_length=…)`):
   * outputs at t ≥ length are zero and the state passes them unchanged, so the
   * final state is the state after the example's last step. Reversed, the
   * cell starts at t = length − 1 (`tf.reverse_sequence` semantics: the
   * padding stays at the end). Absent: every example is T long.
   */
  readonly lengths?: tf.Tensor1D;
}

/** One cell step: the new state and the step's output. */
export type CellStep<S> = (x: tf.Tensor2D, state: S) => { readonly state: S; readonly output: tf.Tensor2D };

/** A sequence's outputs [B, T, H] (input time order) and the state after its last step. */
export interface Unrolled<S> {
  readonly outputs: tf.Tensor3D;
  readonly state: S;
}

/**
 * Runs `step` over x [B, T, I] from `initial` in time order (reversed when
 * asked) and returns every step's output in input time order, [B, T, H], and
 * the final state. With sequence lengths, `tensors` lists a state's tensors,
 * and `rebuild` (with `tensors`' order) makes a state from masked ones. Step t
 * of an example past its length keeps the previous state and outputs zero:
 * state = prev + m·(next − prev), output = m·output, with m = [t < length].
 * Going in reverse, the padded tail comes first and leaves the zero state
 * untouched, which is what running the reversed prefix would give.
 */
export function unrollWithState<S>(
  x: tf.Tensor3D,
  initial: () => S,
  step: CellStep<S>,
  options: SequenceOptions,
  tensors: (state: S) => tf.Tensor[],
  rebuild?: (tensors: tf.Tensor2D[]) => S,
): Unrolled<S> {
  const [batch, steps, inputSize] = x.shape;
  // tf.tidy cannot return an arbitrary state object, so the state's tensors are kept by hand.
  const kept: tf.Tensor[] = [];
  const outputs = tf.tidy(() => {
    const masks = options.lengths === undefined ? undefined : stepMasks(options.lengths, batch, steps);
    // tfjs's unstack gradient breaks when there is a single output, hence the reshape for T = 1.
    const inputs = steps === 1 ? [tf.reshape(x, [batch, inputSize]) as tf.Tensor2D] : (tf.unstack(x, 1) as tf.Tensor2D[]);
    const out = new Array<tf.Tensor2D>(steps);
    let state = initial();
    for (const t of timeOrder(steps, options.reverse)) {
      const next = step(inputs[t]!, state);
      const m = masks?.[t];
      if (m === undefined) {
        state = next.state;
        out[t] = next.output;
        continue;
      }
      const [before, after] = [tensors(state), tensors(next.state)];
      const carried = after.map((a, i) => tf.add(before[i]!, tf.mul(m, tf.sub(a, before[i]!))) as tf.Tensor2D);
      state = rebuild === undefined ? (carried[0] as unknown as S) : rebuild(carried);
      out[t] = tf.mul(m, next.output);
    }
    for (const t of tensors(state)) kept.push(tf.keep(t));
    return tf.stack(out, 1) as tf.Tensor3D;
  });
  const state = rebuild === undefined ? (kept[0] as unknown as S) : rebuild(kept as tf.Tensor2D[]);
  return { outputs, state };
}

/** Per step t, [B, 1] float32: 1 where t < the example's length, else 0. */
export function stepMasks(lengths: tf.Tensor1D, batch: number, steps: number): tf.Tensor2D[] {
  if (lengths.shape[0] !== batch) throw new Error(`sequence lengths have shape [${lengths.shape.join(', ')}], expected [${batch}] (one per example)`);
  const mask = tf.cast(tf.less(tf.reshape(tf.range(0, steps, 1, 'int32'), [1, steps]), tf.reshape(tf.cast(lengths, 'int32'), [batch, 1])), 'float32');
  return steps === 1 ? [mask as tf.Tensor2D] : (tf.split(mask, steps, 1) as tf.Tensor2D[]);
}
