/**
 * TF1's `stack_bidirectional_dynamic_rnn`: layers of a forward and a backward
 * cell, each layer's outputs concat([fw, bw], 2) feeding the next, with
 * DropoutWrapper(output_keep_prob) on every cell.
 *
 * Cell types live in a small registry (weights constructor + sequence
 * function), shared with the unidirectional stack (multi_rnn.ts), so a new
 * cell family is one more weight type and registry entry, not a change to
 * the stacking logic.
 */
import { tf } from '../tf.js';
import type { Initializer } from '../init.js';
import type { RandomStream } from '../random.js';
import { fusedGruSequence, hasFusedGru } from '../kernels/gru_sequence.js';
import { fusedLstmSequence, hasFusedLstm } from '../kernels/lstm_sequence.js';
import { dropout } from './dropout.js';
import { blockGruSequence } from './block_gru.js';
import { blockLstmSequence } from './block_lstm.js';
import { gruSequence, gruSequenceWithState, type SequenceOptions } from './gru_cell.js';
import { createGruWeights, isResetAfter, type GruWeights } from './gru_weights.js';
import { lstmSequence, lstmSequenceWithState } from './lstm_cell.js';
import { createLstmWeights, type LstmWeights } from './lstm_weights.js';

export type GruCellType = 'gru' | 'block_gru';
export type LstmCellType = 'lstm' | 'block_lstm';

/** Weight type of each cell type; add entries here for new cells. */
export interface CellWeightsMap {
  gru: GruWeights;
  block_gru: GruWeights;
  lstm: LstmWeights;
  block_lstm: LstmWeights;
}

export type RnnCellType = keyof CellWeightsMap;
export type CellWeights<C extends RnnCellType> = CellWeightsMap[C];

/** Settings of a cell beyond its size. */
export interface CellOptions {
  /** GRU only: Keras's and PyTorch's form, the reset gate applied after the recurrent product (gru_weights.ts). */
  readonly resetAfter?: boolean;
}

/** How one cell type creates its variables and runs over a sequence. */
export interface CellImpl<W> {
  createWeights(init: Initializer, name: string, inputSize: number, units: number, options?: CellOptions): W;
  /** x [B, T, I] → outputs [B, T, units], from a zero state. */
  sequence(x: tf.Tensor3D, weights: W, options: SequenceOptions): tf.Tensor3D;
  /** The outputs and the final state as one [B, S] tensor: a GRU's h (S = units), an LSTM's concat([c, h]) (S = 2·units). */
  withState(x: tf.Tensor3D, weights: W, options: SequenceOptions): { outputs: tf.Tensor3D; state: tf.Tensor2D };
}

/**
 * block_gru's whole-sequence function: the backend's fused kernel where it
 * registers one that computes this cell, else the custom-gradient composite.
 * With sequence lengths, and for a reset_after cell where neither computes
 * it, the composite `gru` (the same function, per step).
 */
function blockGru(x: tf.Tensor3D, w: GruWeights, o: SequenceOptions): tf.Tensor3D {
  const resetAfter = isResetAfter(w);
  if (o.lengths === undefined && hasFusedGru(undefined, { resetAfter })) return fusedGruSequence(x, w, o);
  if (o.lengths === undefined && !resetAfter) return blockGruSequence(x, w, o);
  return gruSequence(x, w, o);
}

/** The fused cells' final state: without lengths, the output of the last step processed. */
function lastStepState(outputs: tf.Tensor3D, reverse: boolean): tf.Tensor2D {
  const [batch, steps, units] = outputs.shape;
  return tf.reshape(tf.slice(outputs, [0, reverse ? 0 : steps - 1, 0], [batch, 1, units]), [batch, units]);
}

/** The block cells run as the backend's fused kernel where it registers one, else as their custom-gradient composite. */
const CELLS: { readonly [C in RnnCellType]: CellImpl<CellWeightsMap[C]> } = {
  gru: { createWeights: createGruWeights, sequence: gruSequence, withState: gruSequenceWithState },
  block_gru: {
    createWeights: createGruWeights,
    sequence: blockGru,
    withState: (x, w, o) => {
      if (o.lengths !== undefined) return gruSequenceWithState(x, w, o);
      const outputs = blockGru(x, w, o);
      return { outputs, state: lastStepState(outputs, o.reverse) };
    },
  },
  lstm: { createWeights: createLstmWeights, sequence: lstmSequence, withState: lstmWithState },
  block_lstm: {
    createWeights: createLstmWeights,
    sequence: (x, w, o) => (o.lengths !== undefined ? lstmSequence : hasFusedLstm() ? fusedLstmSequence : blockLstmSequence)(x, w, o),
    // The fused LSTMs do not return the cell state c: the composite does.
    withState: lstmWithState,
  },
};

function lstmWithState(x: tf.Tensor3D, w: LstmWeights, o: SequenceOptions): { outputs: tf.Tensor3D; state: tf.Tensor2D } {
  const { outputs, state } = lstmSequenceWithState(x, w, o);
  const joined = tf.concat([state.c, state.h], 1);
  tf.dispose([state.c, state.h]);
  return { outputs, state: joined };
}

export function rnnCell<C extends RnnCellType>(cell: C): CellImpl<CellWeights<C>> {
  const impl: CellImpl<CellWeights<C>> | undefined = CELLS[cell];
  if (impl === undefined) throw new Error(`unknown RNN cell type '${String(cell)}'`);
  return impl;
}

export interface BidirectionalLayer<W = GruWeights> {
  readonly fw: W;
  readonly bw: W;
}

export interface StackBidirectionalConfig<C extends RnnCellType> {
  readonly cell: C;
  readonly layers: number;
  readonly inputSize: number;
  readonly units: number;
  /** GRU cells only: reset_after (see CellOptions); default false. */
  readonly resetAfter?: boolean;
}

/**
 * Creates every layer's variables, layer by layer, fw before bw, under
 * `${name}/layer_${i}/fw|bw`. Layer i > 0 reads the previous layer's
 * concat([fw, bw]), so its input size is 2·units.
 */
export function createStackBidirectionalWeights<C extends RnnCellType>(
  init: Initializer,
  name: string,
  config: StackBidirectionalConfig<C>,
): BidirectionalLayer<CellWeights<C>>[] {
  const { cell, layers, inputSize, units } = config;
  const cellOptions = cellOptionsOf(config);
  if (!Number.isInteger(layers) || layers <= 0) throw new RangeError(`stack_bidirectional: layers must be a positive integer, got ${layers}`);
  const impl = rnnCell(cell);
  const result: BidirectionalLayer<CellWeights<C>>[] = [];
  for (let i = 0; i < layers; i++) {
    const layerInput = i === 0 ? inputSize : 2 * units;
    const prefix = `${name}/layer_${i}`;
    const fw = impl.createWeights(init, `${prefix}/fw`, layerInput, units, cellOptions);
    const bw = impl.createWeights(init, `${prefix}/bw`, layerInput, units, cellOptions);
    result.push({ fw, bw });
  }
  return result;
}

/** A cell's options from a stack's config; reset_after on an LSTM is refused (the compiler reports it first). */
export function cellOptionsOf(config: StackBidirectionalConfig<RnnCellType>): CellOptions {
  if (config.resetAfter === true && config.cell.endsWith('lstm')) throw new Error(`resetAfter is a GRU setting; the cell is '${config.cell}'`);
  return config.resetAfter === true ? { resetAfter: true } : {};
}

/** What a stack returns: every step's output, each example's last output, or the final state. */
export type RnnOutput = 'sequences' | 'last' | 'state';

export interface StackBidirectionalOptions<C extends RnnCellType> {
  readonly cell: C;
  /** DropoutWrapper's output_keep_prob; 1 disables dropout (no seeds drawn). */
  readonly outputKeepProb: number;
  /** Source of the dropout seeds: two per layer (fw, then bw) when dropout is on. */
  readonly random: RandomStream;
  /** Index of x's first example in the whole batch (dropout masks are drawn per example); default 0. */
  readonly exampleOffset?: number;
  /** Each example's length, int32 [B] (see SequenceOptions.lengths); default: all T. */
  readonly lengths?: tf.Tensor1D;
  /**
   * 'sequences' (default): the last layer's outputs [B, T, width];
   * 'last': each example's output at its last step, [B, width] (the backward
   * direction's last step is t = 0); 'state': the last layer's final state,
   * [B, width] (an LSTM's is concat([c, h]) per direction; no dropout).
   */
  readonly output?: RnnOutput;
}

/** x [B, T, I] → the last layer's concat([fw, bw], 2), [B, T, 2·units]; [B, ·] with output 'last' or 'state'. */
export function stackBidirectionalDynamicRnn<C extends RnnCellType>(
  x: tf.Tensor3D,
  layers: readonly BidirectionalLayer<CellWeights<C>>[],
  options: StackBidirectionalOptions<C> & { readonly output: 'last' | 'state' },
): tf.Tensor2D;
export function stackBidirectionalDynamicRnn<C extends RnnCellType>(
  x: tf.Tensor3D,
  layers: readonly BidirectionalLayer<CellWeights<C>>[],
  options: StackBidirectionalOptions<C>,
): tf.Tensor3D;
export function stackBidirectionalDynamicRnn<C extends RnnCellType>(
  x: tf.Tensor3D,
  layers: readonly BidirectionalLayer<CellWeights<C>>[],
  options: StackBidirectionalOptions<C>,
): tf.Tensor3D | tf.Tensor2D {
  if (layers.length === 0) throw new Error('stack_bidirectional: no layers');
  const impl = rnnCell(options.cell);
  const keep = options.outputKeepProb;
  const output = options.output ?? 'sequences';
  const { lengths } = options;
  return tf.tidy(() => {
    let input = x;
    for (const [i, layer] of layers.entries()) {
      const final = i === layers.length - 1 && output === 'state';
      const fw = final ? impl.withState(input, layer.fw, { reverse: false, lengths }) : { outputs: impl.sequence(input, layer.fw, { reverse: false, lengths }) };
      const bw = final ? impl.withState(input, layer.bw, { reverse: true, lengths }) : { outputs: impl.sequence(input, layer.bw, { reverse: true, lengths }) };
      // Seeds are drawn fw then bw, independent of the cell type, so every
      // lowering of the same spec sees the same masks.
      const offset = options.exampleOffset ?? 0;
      const fwSeed = keep < 1 ? options.random.nextSeed() : 0;
      const bwSeed = keep < 1 ? options.random.nextSeed() : 0;
      // The state is not an output: DropoutWrapper leaves it alone.
      if ('state' in fw && 'state' in bw) return tf.concat([fw.state, bw.state], 1);
      const fwOut = keep < 1 ? dropout(fw.outputs, keep, fwSeed, offset) : fw.outputs;
      const bwOut = keep < 1 ? dropout(bw.outputs, keep, bwSeed, offset) : bw.outputs;
      input = tf.concat([fwOut, bwOut], 2);
    }
    if (output === 'sequences') return input;
    const [fwLast, bwLast] = tf.split(input, 2, 2) as [tf.Tensor3D, tf.Tensor3D];
    return tf.concat([lastOutput(fwLast, false, lengths), lastOutput(bwLast, true, lengths)], 1);
  });
}

/**
 * Each example's output at its last step, [B, units]: t = length − 1 (T − 1
 * without lengths), or t = 0 for a reversed cell, which ends there. An
 * example of length 0 gives zeros (its outputs all are).
 */
export function lastOutput(outputs: tf.Tensor3D, reverse: boolean, lengths: tf.Tensor1D | undefined): tf.Tensor2D {
  if (reverse || lengths === undefined) return lastStepState(outputs, reverse);
  const [batch, steps] = outputs.shape;
  return tf.tidy(() => {
    const last = tf.sub(tf.reshape(tf.cast(lengths, 'int32'), [batch]), tf.scalar(1, 'int32'));
    const pick = tf.reshape(tf.oneHot(tf.maximum(last, tf.scalar(0, 'int32')) as tf.Tensor1D, steps), [batch, steps, 1]);
    return tf.sum(tf.mul(outputs, tf.cast(pick, 'float32')), 1) as tf.Tensor2D;
  });
}
