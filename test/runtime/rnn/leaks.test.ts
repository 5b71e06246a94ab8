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
import { randomTensor } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Variables per cell: GRU has gates and candidate kernels and biases; LSTM one kernel and one bias. */
const VARIABLES_PER_CELL: Record<RnnCellType, number> = { gru: 4, block_gru: 4, lstm: 2, block_lstm: 2 };

interface Stack {
  readonly name: string;
  /** Cells per layer. */
  readonly cellsPerLayer: number;
  create(init: Initializer, cell: RnnCellType): unknown;
  run(x: tf.Tensor3D, layers: unknown, cell: RnnCellType, keep: number, random: RandomStream): tf.Tensor;
}

const STACKS: Stack[] = [
  {
    name: 'stack_bidirectional',
    cellsPerLayer: 2,
    create: (init, cell) => createStackBidirectionalWeights(init, 'rnn', { cell, layers: 2, inputSize: 4, units: 3 }),
    run: (x, layers, cell, keep, random) =>
      stackBidirectionalDynamicRnn(x, layers as Parameters<typeof stackBidirectionalDynamicRnn>[1], { cell, outputKeepProb: keep, random }),
  },
  {
    name: 'multi_rnn',
    cellsPerLayer: 1,
    create: (init, cell) => createMultiRnnWeights(init, 'rnn', { cell, layers: 2, inputSize: 4, units: 3 }),
    run: (x, layers, cell, keep, random) => multiRnn(x, layers as CellWeights<RnnCellType>[], { cell, outputKeepProb: keep, random }),
  },
];

describe('no tensor leaks', () => {
  for (const stack of STACKS) {
    for (const cell of ['gru', 'block_gru', 'lstm', 'block_lstm'] as const) {
      for (const keep of [1, 0.5]) {
        it(`${stack.name}, ${cell}, keep=${keep}: forward+backward inside tidy leaves only the created variables`, () => {
          const variables = 2 * stack.cellsPerLayer * VARIABLES_PER_CELL[cell];
          const before = tf.memory().numTensors;
          const init = new Initializer(new RandomStream(1));
          const layers = stack.create(init, cell);
          const x = randomTensor([2, 5, 4], 2) as tf.Tensor3D;
          const withVariables = tf.memory().numTensors;
          expect(withVariables - before).toBe(variables + 1);
          const random = new RandomStream(3);
          tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => tf.sum(stack.run(x, layers, cell, keep, random)) as tf.Scalar);
            expect(Object.keys(grads)).toHaveLength(variables);
            expect(Number.isFinite(value.dataSync()[0])).toBe(true);
          });
          expect(tf.memory().numTensors).toBe(withVariables);
          // Inference (no tape) must not keep saved activations either.
          tf.tidy(() => stack.run(x, layers, cell, keep, random).dataSync());
          const out = stack.run(x, layers, cell, keep, random);
          expect(tf.memory().numTensors).toBe(withVariables + 1);
          out.dispose();
          x.dispose();
          init.variables().forEach((v) => v.variable.dispose());
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }
  }
});
