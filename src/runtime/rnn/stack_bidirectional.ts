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
import { gruSequence, type SequenceOptions } from './gru_cell.js';
import { createGruWeights, type GruWeights } from './gru_weights.js';
import { lstmSequence } from './lstm_cell.js';
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

/** How one cell type creates its variables and runs over a sequence. */
export interface CellImpl<W> {
  createWeights(init: Initializer, name: string, inputSize: number, units: number): W;
  /** x [B, T, I] → outputs [B, T, units], from a zero state. */
  sequence(x: tf.Tensor3D, weights: W, options: SequenceOptions): tf.Tensor3D;
}

/** The block cells run as the backend's fused kernel where it registers one, else as their custom-gradient composite. */
const CELLS: { readonly [C in RnnCellType]: CellImpl<CellWeightsMap[C]> } = {
  gru: { createWeights: createGruWeights, sequence: gruSequence },
  block_gru: { createWeights: createGruWeights, sequence: (x, w, o) => (hasFusedGru() ? fusedGruSequence : blockGruSequence)(x, w, o) },
  lstm: { createWeights: createLstmWeights, sequence: lstmSequence },
  block_lstm: { createWeights: createLstmWeights, sequence: (x, w, o) => (hasFusedLstm() ? fusedLstmSequence : blockLstmSequence)(x, w, o) },
};

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
  if (!Number.isInteger(layers) || layers <= 0) throw new RangeError(`stack_bidirectional: layers must be a positive integer, got ${layers}`);
  const impl = rnnCell(cell);
  const result: BidirectionalLayer<CellWeights<C>>[] = [];
  for (let i = 0; i < layers; i++) {
    const layerInput = i === 0 ? inputSize : 2 * units;
    const prefix = `${name}/layer_${i}`;
    const fw = impl.createWeights(init, `${prefix}/fw`, layerInput, units);
    const bw = impl.createWeights(init, `${prefix}/bw`, layerInput, units);
    result.push({ fw, bw });
  }
  return result;
}

export interface StackBidirectionalOptions<C extends RnnCellType> {
  readonly cell: C;
  /** DropoutWrapper's output_keep_prob; 1 disables dropout (no seeds drawn). */
  readonly outputKeepProb: number;
  /** Source of the dropout seeds: two per layer (fw, then bw) when dropout is on. */
  readonly random: RandomStream;
  /** Index of x's first example in the whole batch (dropout masks are drawn per example); default 0. */
  readonly exampleOffset?: number;
}

/** x [B, T, I] → the last layer's concat([fw, bw], 2), [B, T, 2·units]. */
export function stackBidirectionalDynamicRnn<C extends RnnCellType>(
  x: tf.Tensor3D,
  layers: readonly BidirectionalLayer<CellWeights<C>>[],
  options: StackBidirectionalOptions<C>,
): tf.Tensor3D {
  if (layers.length === 0) throw new Error('stack_bidirectional: no layers');
  const impl = rnnCell(options.cell);
  const keep = options.outputKeepProb;
  return tf.tidy(() => {
    let input = x;
    for (const layer of layers) {
      const fw = impl.sequence(input, layer.fw, { reverse: false });
      const bw = impl.sequence(input, layer.bw, { reverse: true });
      // Seeds are drawn fw then bw, independent of the cell type, so every
      // lowering of the same spec sees the same masks.
      const offset = options.exampleOffset ?? 0;
      const fwOut = keep < 1 ? dropout(fw, keep, options.random.nextSeed(), offset) : fw;
      const bwOut = keep < 1 ? dropout(bw, keep, options.random.nextSeed(), offset) : bw;
      input = tf.concat([fwOut, bwOut], 2);
    }
    return input;
  });
}
