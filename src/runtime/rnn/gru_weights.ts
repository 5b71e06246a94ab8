/**
 * The variables of one TF1 GRU cell (`tf.contrib.rnn.GRUCell` and
 * `GRUBlockCellV2` share them): a gates kernel producing [r | u] from
 * concat([x, h]) and a candidate kernel producing c from concat([x, r*h]).
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
}

/** The same weights as trainable variables, as `createGruWeights` makes them. */
export interface GruVariables extends GruWeights {
  readonly gatesKernel: tf.Variable<tf.Rank.R2>;
  readonly gatesBias: tf.Variable<tf.Rank.R1>;
  readonly candidateKernel: tf.Variable<tf.Rank.R2>;
  readonly candidateBias: tf.Variable<tf.Rank.R1>;
}

/**
 * Creates a GRU cell's variables under `name` in TF's order (gates kernel,
 * gates bias, candidate kernel, candidate bias), so seeds are drawn in the same
 * order as the graph declares them. Each kernel is glorot-uniform over its own
 * shape, as TF's GRUCell initialises them separately.
 */
export function createGruWeights(init: Initializer, name: string, inputSize: number, units: number): GruVariables {
  checkSize('createGruWeights', 'inputSize', inputSize);
  checkSize('createGruWeights', 'units', units);
  const rows = inputSize + units;
  return {
    gatesKernel: init.variable<tf.Rank.R2>(`${name}/gates/kernel`, [rows, 2 * units], { kind: 'glorot_uniform' }),
    gatesBias: init.variable<tf.Rank.R1>(`${name}/gates/bias`, [2 * units], { kind: 'constant', value: 1 }),
    candidateKernel: init.variable<tf.Rank.R2>(`${name}/candidate/kernel`, [rows, units], { kind: 'glorot_uniform' }),
    candidateBias: init.variable<tf.Rank.R1>(`${name}/candidate/bias`, [units], { kind: 'zeros' }),
  };
}

/** The four weights in creation order (the order optimisers and checkpoints see them). */
export function gruWeightList(w: GruWeights): [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D] {
  return [w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias];
}

/** Units and input size implied by the weights, after checking they fit together and the input. */
export function gruDims(w: GruWeights, inputSize: number): { inputSize: number; units: number } {
  const units = w.candidateBias.shape[0];
  expectShape('GRU', 'gates kernel', w.gatesKernel.shape, [inputSize + units, 2 * units]);
  expectShape('GRU', 'gates bias', w.gatesBias.shape, [2 * units]);
  expectShape('GRU', 'candidate kernel', w.candidateKernel.shape, [inputSize + units, units]);
  return { inputSize, units };
}
