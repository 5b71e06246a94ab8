/**
 * Inside both stacks (stack_bidirectional_rnn and the unidirectional
 * multi_rnn, 2 layers, dropout off and on), each fused cell gives the same
 * outputs and gradients as its composite (relativeError < 1e-5), and dropout
 * really drops: first on tfjs's stock kernels (the fused cells as custom-gradient
 * composites), then with graphc's kernels registered (the whole-sequence
 * GraphcGruSequence / GraphcLstmSequence kernels, and the wasm overrides).
 */
import { registerGraphcKernels } from '../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import {
  createMultiRnnWeights,
  createStackBidirectionalWeights,
  multiRnn,
  stackBidirectionalDynamicRnn,
  type CellWeights,
  type RnnCellType,
} from '../../../src/runtime/rnn/index.js';
import { expectClose, outputAndGrads, randomTensor } from './helpers.js';

/** A stack's weights as a flat list of tensors (the inputs to differentiate), and the structure rebuilt from such a list. */
interface Flattened {
  readonly tensors: tf.Tensor[];
  rebuild(list: readonly tf.Tensor[]): unknown;
}

interface StackCase {
  readonly stack: string;
  /** The composite cell, then its fused lowering. */
  readonly cells: readonly [RnnCellType, RnnCellType];
  /** Output features per batch element and step. */
  readonly width: number;
  make(init: Initializer, cell: RnnCellType): Flattened;
  run(x: tf.Tensor3D, layers: unknown, cell: RnnCellType, keep: number): tf.Tensor;
}

function flattenCells<W extends object>(cells: readonly W[]): { tensors: tf.Tensor[]; rebuild(list: readonly tf.Tensor[]): W[] } {
  const keys = cells.map((c) => Object.keys(c) as (keyof W)[]);
  return {
    tensors: cells.flatMap((c, k) => keys[k]!.map((key) => c[key] as tf.Tensor)),
    rebuild: (list) => {
      let n = 0;
      return cells.map((_, k) => Object.fromEntries(keys[k]!.map((key) => [key, list[n++]])) as W);
    },
  };
}

const PAIRS: ReadonlyArray<readonly [readonly [RnnCellType, RnnCellType], boolean]> = [
  [['gru', 'block_gru'], false],
  [['gru', 'block_gru'], true],
  [['lstm', 'block_lstm'], false],
];

const CASES: StackCase[] = PAIRS.flatMap(([cells, resetAfter]): StackCase[] => {
  const sizes = { layers: 2, inputSize: 6, units: 5, ...(resetAfter && { resetAfter }) };
  return [
    {
      stack: resetAfter ? 'multi_rnn (reset_after)' : 'multi_rnn',
      cells,
      width: sizes.units,
      make: (init, cell) => flattenCells(createMultiRnnWeights(init, 'rnn', { cell, ...sizes }) as object[]),
      run: (x, layers, cell, keep) => multiRnn(x, layers as CellWeights<RnnCellType>[], { cell, outputKeepProb: keep, random: new RandomStream(99) }),
    },
    {
      stack: resetAfter ? 'stack_bidirectional (reset_after)' : 'stack_bidirectional',
      cells,
      width: 2 * sizes.units,
      make: (init, cell) => {
        const flat = flattenCells(createStackBidirectionalWeights(init, 'rnn', { cell, ...sizes }).flatMap((l) => [l.fw, l.bw]) as object[]);
        return {
          tensors: flat.tensors,
          rebuild: (list) => {
            const directions = flat.rebuild(list);
            return [0, 1].map((k) => ({ fw: directions[2 * k], bw: directions[2 * k + 1] }));
          },
        };
      },
      run: (x, layers, cell, keep) =>
        stackBidirectionalDynamicRnn(x, layers as Parameters<typeof stackBidirectionalDynamicRnn>[1], { cell, outputKeepProb: keep, random: new RandomStream(99) }),
    },
  ];
});

// Registering graphc's kernels cannot be undone, so the stock runs come first.
const RUNS = [
  ['cpu', 'stock'],
  ['wasm', 'stock'],
  ['cpu', 'graphc'],
  ['wasm', 'graphc'],
] as const;

for (const [backend, kernels] of RUNS) {
  describe(`stacks of fused cells ≡ stacks of composite cells on ${backend}, ${kernels} kernels`, () => {
    beforeAll(async () => {
      if (kernels === 'graphc') {
        registerGraphcKernels('cpu');
        registerGraphcKernels('wasm');
      }
      expect(await tf.setBackend(backend)).toBe(true);
    });

    for (const c of CASES) {
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
