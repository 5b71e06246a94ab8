/**
 * The variables of one TF1 LSTM cell (`tf.contrib.rnn.BasicLSTMCell` and
 * `LSTMBlockCell` share them): one kernel producing the four gate
 * pre-activations [i | j | f | o] from concat([x, h]), and their bias.
 */
import { tf } from '../tf.js';
import type { Initializer } from '../init.js';
import { checkSize, expectShape } from './shapes.js';

/** What the sequence functions read; generated code passes the variables. */
export interface LstmWeights {
  /** [inputSize + units, 4·units], columns i (input gate), j (candidate), f (forget gate), o (output gate). */
  readonly kernel: tf.Tensor2D;
  /** [4·units], initialised to 0 (the forget bias is added in the computation, not stored). */
  readonly bias: tf.Tensor1D;
}

export interface LstmVariables extends LstmWeights {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;
}

/** Creates an LSTM cell's variables under `name` in TF's order (kernel, bias): glorot-uniform kernel, zero bias. */
export function createLstmWeights(init: Initializer, name: string, inputSize: number, units: number): LstmVariables {
  checkSize('createLstmWeights', 'inputSize', inputSize);
  checkSize('createLstmWeights', 'units', units);
  return {
    kernel: init.variable<tf.Rank.R2>(`${name}/kernel`, [inputSize + units, 4 * units], { kind: 'glorot_uniform' }),
    bias: init.variable<tf.Rank.R1>(`${name}/bias`, [4 * units], { kind: 'zeros' }),
  };
}

/** Units implied by the weights, after checking they fit together and the input. */
export function lstmDims(w: LstmWeights, inputSize: number): { inputSize: number; units: number } {
  const units = w.bias.shape[0] / 4;
  if (!Number.isInteger(units) || units < 1) throw new Error(`LSTM bias has shape [${w.bias.shape.join(', ')}], expected [4·units]`);
  expectShape('LSTM', 'kernel', w.kernel.shape, [inputSize + units, 4 * units]);
  return { inputSize, units };
}
