/**
 * TF1's unidirectional stacked RNN:
 * `tf.nn.dynamic_rnn(MultiRNNCell([DropoutWrapper(cell, output_keep_prob)] × layers))`.
 * Layer i reads layer i−1's (dropped-out) outputs and the result is the last
 * layer's outputs [B, T, units]. MultiRNNCell interleaves the layers step by
 * step; running each layer over the whole sequence in turn computes the same
 * values and lets the fused cells run whole sequences.
 */
import { tf } from '../tf.js';
import type { Initializer } from '../init.js';
import { dropout } from './dropout.js';
import { cellOptionsOf, lastOutput, rnnCell, type CellWeights, type RnnCellType, type StackBidirectionalConfig, type StackBidirectionalOptions } from './stack_bidirectional.js';

/** The same settings as the bidirectional stack: cell type, layers, input size, units per layer. */
export type MultiRnnConfig<C extends RnnCellType> = StackBidirectionalConfig<C>;

/** Cell type, DropoutWrapper's output_keep_prob, the dropout seeds (one per layer when dropout is on), lengths and what to return. */
export type MultiRnnOptions<C extends RnnCellType> = StackBidirectionalOptions<C>;

/**
 * Creates every layer's variables in order, under `${name}/cell_${i}` (as
 * MultiRNNCell names them). Layer i > 0 reads the previous layer's outputs,
 * so its input size is `units`.
 */
export function createMultiRnnWeights<C extends RnnCellType>(init: Initializer, name: string, config: MultiRnnConfig<C>): CellWeights<C>[] {
  const { cell, layers, inputSize, units } = config;
  if (!Number.isInteger(layers) || layers <= 0) throw new RangeError(`multi_rnn: layers must be a positive integer, got ${layers}`);
  const impl = rnnCell(cell);
  const cellOptions = cellOptionsOf(config);
  return Array.from({ length: layers }, (_, i) => impl.createWeights(init, `${name}/cell_${i}`, i === 0 ? inputSize : units, units, cellOptions));
}

/** x [B, T, I] → the last layer's outputs, [B, T, units]; [B, ·] with output 'last' (t = length − 1) or 'state' (the last layer's final state). */
export function multiRnn<C extends RnnCellType>(
  x: tf.Tensor3D,
  layers: readonly CellWeights<C>[],
  options: MultiRnnOptions<C> & { readonly output: 'last' | 'state' },
): tf.Tensor2D;
export function multiRnn<C extends RnnCellType>(x: tf.Tensor3D, layers: readonly CellWeights<C>[], options: MultiRnnOptions<C>): tf.Tensor3D;
export function multiRnn<C extends RnnCellType>(x: tf.Tensor3D, layers: readonly CellWeights<C>[], options: MultiRnnOptions<C>): tf.Tensor3D | tf.Tensor2D {
  if (layers.length === 0) throw new Error('multi_rnn: no layers');
  const impl = rnnCell(options.cell);
  const keep = options.outputKeepProb;
  const output = options.output ?? 'sequences';
  const { lengths } = options;
  return tf.tidy(() => {
    let input = x;
    for (const [i, weights] of layers.entries()) {
      if (i === layers.length - 1 && output === 'state') {
        // The seed is drawn as for the outputs, so that asking for the state shifts no other random stream.
        if (keep < 1) options.random.nextSeed();
        return impl.withState(input, weights, { reverse: false, lengths }).state;
      }
      const outputs = impl.sequence(input, weights, { reverse: false, lengths });
      input = keep < 1 ? dropout(outputs, keep, options.random.nextSeed(), options.exampleOffset ?? 0) : outputs;
    }
    return output === 'last' ? lastOutput(input, false, lengths) : input;
  });
}
