/**
 * The variables of one TF1 GRU cell (`tf.contrib.rnn.GRUCell` and
 * `GRUBlockCellV2` share them): a gates kernel producing [r | u] from
 * concat([x, h]) and a candidate kernel producing c from concat([x, r*h]).
 *
 * With `reset_after` (Keras's default GRU, PyTorch's nn.GRU, cuDNN's), the
 * reset gate multiplies the recurrent product instead:
 *   c = tanh(x·W_cx + b_c + r ⊙ (h·W_ch + b_ch))
 * and the cell has one more variable, the recurrent candidate bias b_ch
 * (`candidate/recurrent_bias`, [units]); the kernels keep their shapes.
 *
 * How the variables map to the other frameworks' (H = units, I = input size):
 *
 * PyTorch nn.GRU (one layer, gate order r, z, n; weights are [out, in]):
 *   gatesKernel[:I, :H]   = weight_ih[0:H]ᵀ    gatesKernel[I:, :H]   = weight_hh[0:H]ᵀ     (r)
 *   gatesKernel[:I, H:]   = weight_ih[H:2H]ᵀ   gatesKernel[I:, H:]   = weight_hh[H:2H]ᵀ    (z = our u)
 *   gatesBias             = bias_ih[0:2H] + bias_hh[0:2H]  (only their sum enters the function)
 *   candidateKernel[:I]   = weight_ih[2H:3H]ᵀ  candidateKernel[I:]   = weight_hh[2H:3H]ᵀ   (n)
 *   candidateBias         = bias_ih[2H:3H]     candidateRecurrentBias = bias_hh[2H:3H]
 * PyTorch's h' = (1 − z) ⊙ n + z ⊙ h is ours, u·h + (1 − u)·c.
 *
 * Keras GRU(reset_after=True) (gate order z, r, h; kernel [I, 3H],
 * recurrent_kernel [H, 3H], bias [2, 3H]: row 0 input, row 1 recurrent):
 *   gatesKernel           = [kernel[:, H:2H] | kernel[:, 0:H]] over [recurrent_kernel[:, H:2H] | recurrent_kernel[:, 0:H]]
 *   gatesBias             = [bias[0, H:2H] + bias[1, H:2H] | bias[0, 0:H] + bias[1, 0:H]]
 *   candidateKernel       = kernel[:, 2H:] over recurrent_kernel[:, 2H:]
 *   candidateBias         = bias[0, 2H:]       candidateRecurrentBias = bias[1, 2H:]
 * Keras's h = z·h_prev + (1 − z)·hh is ours too. (TF1's form, reset_after
 * false, is Keras's GRU(reset_after=False) with its single bias.)
 */
import { tf } from '../tf.js';
import type { Initializer } from '../init.js';
import { checkSize, expectShape } from './shapes.js';

/**
 * What the sequence functions read. Typed as plain tensors so that tests and
 * gradient code can pass any tensor; generated code passes the variables.
 */
export interface GruWeights {
  /** [inputSize + units, 2·units], columns r then u. */
  readonly gatesKernel: tf.Tensor2D;
  /** [2·units], initialised to 1 so the cell starts out remembering. */
  readonly gatesBias: tf.Tensor1D;
  /** [inputSize + units, units]. */
  readonly candidateKernel: tf.Tensor2D;
  /** [units], initialised to 0. */
  readonly candidateBias: tf.Tensor1D;
  /** [units], initialised to 0; present exactly when the cell is reset_after (see the header). */
  readonly candidateRecurrentBias?: tf.Tensor1D;
}

/** The same weights as trainable variables, as `createGruWeights` makes them. */
export interface GruVariables extends GruWeights {
  readonly gatesKernel: tf.Variable<tf.Rank.R2>;
  readonly gatesBias: tf.Variable<tf.Rank.R1>;
  readonly candidateKernel: tf.Variable<tf.Rank.R2>;
  readonly candidateBias: tf.Variable<tf.Rank.R1>;
  readonly candidateRecurrentBias?: tf.Variable<tf.Rank.R1>;
}

/** How a GRU cell computes its candidate (see the header). */
export interface GruCellOptions {
  /** The reset gate multiplies h·W_ch + b_ch (Keras, PyTorch) rather than h (TF1); default false. */
  readonly resetAfter?: boolean;
}

/**
 * Creates a GRU cell's variables under `name` in TF's order (gates kernel,
 * gates bias, candidate kernel, candidate bias), so seeds are drawn in the same
 * order as the graph declares them. Each kernel is glorot-uniform over its own
 * shape, as TF's GRUCell initialises them separately.
 */
export function createGruWeights(init: Initializer, name: string, inputSize: number, units: number, options: GruCellOptions = {}): GruVariables {
  checkSize('createGruWeights', 'inputSize', inputSize);
  checkSize('createGruWeights', 'units', units);
  const rows = inputSize + units;
  const weights = {
    gatesKernel: init.variable<tf.Rank.R2>(`${name}/gates/kernel`, [rows, 2 * units], { kind: 'glorot_uniform' }),
    gatesBias: init.variable<tf.Rank.R1>(`${name}/gates/bias`, [2 * units], { kind: 'constant', value: 1 }),
    candidateKernel: init.variable<tf.Rank.R2>(`${name}/candidate/kernel`, [rows, units], { kind: 'glorot_uniform' }),
    candidateBias: init.variable<tf.Rank.R1>(`${name}/candidate/bias`, [units], { kind: 'zeros' }),
  };
  if (options.resetAfter !== true) return weights;
  return { ...weights, candidateRecurrentBias: init.variable<tf.Rank.R1>(`${name}/candidate/recurrent_bias`, [units], { kind: 'zeros' }) };
}

/** The weights in creation order (the order optimisers and checkpoints see them): four, five for a reset_after cell. */
export function gruWeightList(w: GruWeights): tf.Tensor[] {
  const list: tf.Tensor[] = [w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias];
  return w.candidateRecurrentBias === undefined ? list : [...list, w.candidateRecurrentBias];
}

/** True for a reset_after cell's weights (they hold the recurrent candidate bias). */
export function isResetAfter(w: GruWeights): boolean {
  return w.candidateRecurrentBias !== undefined;
}

/** Units and input size implied by the weights, after checking they fit together and the input. */
export function gruDims(w: GruWeights, inputSize: number): { inputSize: number; units: number } {
  const units = w.candidateBias.shape[0];
  expectShape('GRU', 'gates kernel', w.gatesKernel.shape, [inputSize + units, 2 * units]);
  expectShape('GRU', 'gates bias', w.gatesBias.shape, [2 * units]);
  expectShape('GRU', 'candidate kernel', w.candidateKernel.shape, [inputSize + units, units]);
  if (w.candidateRecurrentBias !== undefined) expectShape('GRU', 'candidate recurrent bias', w.candidateRecurrentBias.shape, [units]);
  return { inputSize, units };
}
