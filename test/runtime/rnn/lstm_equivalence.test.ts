/**
 * `lstm` (composite, tfjs autodiff) and `block_lstm` (fused, hand-written
 * BPTT) must agree on outputs and on every gradient (relativeError < 1e-5), on
 * their own and inside both stacks; the unidirectional stack must give gru and
 * block_gru the same results too.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import {
  blockLstmSequence,
  createMultiRnnWeights,
  createStackBidirectionalWeights,
  lstmSequence,
  multiRnn,
  stackBidirectionalDynamicRnn,
  type CellWeights,
  type LstmWeights,
  type RnnCellType,
} from '../../../src/runtime/rnn/index.js';
import { expectClose, outputAndGrads, randomLstmWeights, randomTensor, SEQUENCE_SHAPES } from './helpers.js';

const toWeights = ([kernel, bias]: readonly tf.Tensor[]): LstmWeights => ({ kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D });

for (const backend of ['cpu', 'wasm']) {
  describe(`lstm ≡ block_lstm on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    for (const [b, t, i, h] of SEQUENCE_SHAPES) {
      for (const reverse of [false, true]) {
        it(`single direction B=${b} T=${t} I=${i} H=${h} ${reverse ? 'reverse' : 'forward'}: outputs, dx and weight grads`, async () => {
          const x = randomTensor([b, t, i], 100 + b * t, 1.2);
          const w = randomLstmWeights(i, h, 7 * h + i);
          const inputs = [x, w.kernel, w.bias];
          const seq = (fn: typeof lstmSequence) => (xi: tf.Tensor, ...ws: tf.Tensor[]) => fn(xi as tf.Tensor3D, toWeights(ws), { reverse });
          const reference = await outputAndGrads(seq(lstmSequence), inputs, 5);
          const fused = await outputAndGrads(seq(blockLstmSequence), inputs, 5);
          expect(fused.grads.map((g) => g.length)).toEqual(inputs.map((v) => v.size));
          expectClose(fused, reference);
          tf.dispose(inputs);
        });
      }
    }

    /** Flattens a stack's weights to a list of tensors and rebuilds the same structure from such a list. */
    interface Flattened<L> {
      readonly tensors: tf.Tensor[];
      rebuild(list: readonly tf.Tensor[]): L;
    }

    const cases: Array<{
      stack: string;
      cells: [RnnCellType, RnnCellType];
      /** The stack's outputs per batch element and step. */
      width: number;
      make: (init: Initializer, cell: RnnCellType) => Flattened<unknown>;
      run: (x: tf.Tensor3D, layers: unknown, cell: RnnCellType, keep: number) => tf.Tensor;
    }> = [];
    const flattenLayers = <W extends object>(layers: readonly W[]): Flattened<W[]> => {
      const keys = layers.map((l) => Object.keys(l) as (keyof W)[]);
      return {
        tensors: layers.flatMap((l, k) => keys[k]!.map((key) => l[key] as tf.Tensor)),
        rebuild: (list) => {
          let n = 0;
          return layers.map((_, k) => Object.fromEntries(keys[k]!.map((key) => [key, list[n++]])) as W);
        },
      };
    };
    for (const cells of [['lstm', 'block_lstm'], ['gru', 'block_gru']] as Array<[RnnCellType, RnnCellType]>) {
      cases.push({
        stack: 'multi_rnn',
        cells,
        width: 5,
        make: (init, cell) => flattenLayers(createMultiRnnWeights(init, 'rnn', { cell, layers: 2, inputSize: 6, units: 5 }) as object[]),
        run: (x, layers, cell, keep) => multiRnn(x, layers as CellWeights<RnnCellType>[], { cell, outputKeepProb: keep, random: new RandomStream(99) }),
      });
    }
    cases.push({
      stack: 'stack_bidirectional',
      cells: ['lstm', 'block_lstm'],
      width: 10,
      make: (init, cell) => {
        const layers = createStackBidirectionalWeights(init, 'rnn', { cell, layers: 2, inputSize: 6, units: 5 });
        const flat = flattenLayers(layers.flatMap((l) => [l.fw, l.bw]) as object[]);
        return {
          tensors: flat.tensors,
          rebuild: (list) => {
            const cellsList = flat.rebuild(list);
            return [0, 1].map((k) => ({ fw: cellsList[2 * k], bw: cellsList[2 * k + 1] }));
          },
        };
      },
      run: (x, layers, cell, keep) =>
        stackBidirectionalDynamicRnn(x, layers as Parameters<typeof stackBidirectionalDynamicRnn>[1], { cell, outputKeepProb: keep, random: new RandomStream(99) }),
    });

    for (const c of cases) {
      for (const keep of [1, 0.5]) {
        it(`${c.stack}, 2 layers, ${c.cells[0]} ≡ ${c.cells[1]}, output_keep_prob=${keep}: same outputs and gradients`, async () => {
          const init = new Initializer(new RandomStream(3, 'init'));
          const weights = c.make(init, c.cells[0]);
          const x = randomTensor([3, 4, 6], 17);
          // A fresh stream per call (inside run), so both lowerings and the value/grad passes draw the same masks.
          const run = (cell: RnnCellType) => (xi: tf.Tensor, ...ws: tf.Tensor[]) => c.run(xi as tf.Tensor3D, weights.rebuild(ws), cell, keep);
          const reference = await outputAndGrads(run(c.cells[0]), [x, ...weights.tensors], 8);
          const fused = await outputAndGrads(run(c.cells[1]), [x, ...weights.tensors], 8);
          expect(reference.value.length).toBe(3 * 4 * c.width);
          expectClose(fused, reference);
          const zeros = reference.value.filter((v) => v === 0).length / reference.value.length;
          if (keep === 1) expect(zeros).toBe(0);
          else expect(zeros).toBeGreaterThan(0.25);
          x.dispose();
          init.variables().forEach((v) => v.variable.dispose());
        });
      }
    }
  });
}
