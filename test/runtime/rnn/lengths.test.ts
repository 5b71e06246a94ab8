/**
 * Sequence lengths (TF1 dynamic_rnn(sequence_length=…)) and the stacks'
 * outputs: a padded batch with lengths gives, example by example, what the
 * stack gives on that example's unpadded sequence alone — outputs (zero past
 * the length), each example's last output and the final state, and the
 * weights' gradients (the sum of the per-example ones) — for every cell type,
 * in both stacks (the backward direction reverses each example within its
 * length, as tf.reverse_sequence does). The fused cells fall back to the
 * composite when given lengths, so they must agree too.
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
  type RnnOutput,
} from '../../../src/runtime/rnn/index.js';
import { randomTensor, relativeError } from './helpers.js';

const [BATCH, STEPS, INPUT, UNITS] = [4, 6, 3, 5];
const LENGTHS = [6, 3, 1, 4];

interface Stack {
  readonly name: string;
  readonly directions: 1 | 2;
  make(init: Initializer, cell: RnnCellType, resetAfter: boolean): unknown;
  run(x: tf.Tensor3D, layers: unknown, cell: RnnCellType, output: RnnOutput, lengths?: tf.Tensor1D): tf.Tensor;
}

const STACKS: Stack[] = [
  {
    name: 'multi_rnn',
    directions: 1,
    make: (init, cell, resetAfter) => createMultiRnnWeights(init, 'rnn', { cell, layers: 2, inputSize: INPUT, units: UNITS, ...(resetAfter && { resetAfter }) }),
    run: (x, layers, cell, output, lengths) =>
      multiRnn(x, layers as CellWeights<RnnCellType>[], { cell, outputKeepProb: 1, random: new RandomStream(1), output, ...(lengths && { lengths }) }),
  },
  {
    name: 'stack_bidirectional',
    directions: 2,
    make: (init, cell, resetAfter) => createStackBidirectionalWeights(init, 'rnn', { cell, layers: 2, inputSize: INPUT, units: UNITS, ...(resetAfter && { resetAfter }) }),
    run: (x, layers, cell, output, lengths) =>
      stackBidirectionalDynamicRnn(x, layers as Parameters<typeof stackBidirectionalDynamicRnn>[1], {
        cell,
        outputKeepProb: 1,
        random: new RandomStream(1),
        output,
        ...(lengths && { lengths }),
      }),
  },
];

const CELLS: Array<[RnnCellType, boolean]> = [
  ['gru', false],
  ['block_gru', false],
  ['gru', true],
  ['block_gru', true],
  ['lstm', false],
  ['block_lstm', false],
];

/** Value and weight gradients of sum(out ⊙ weight) for a run. */
function valueAndWeightGrads(run: () => tf.Tensor, variables: tf.Variable[], weight: (shape: number[]) => tf.Tensor): { value: tf.Tensor; grads: tf.Tensor[] } {
  const value = run();
  const w = weight(value.shape);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(run(), w)) as tf.Scalar, variables);
  w.dispose();
  return { value, grads: variables.map((v) => grads[v.name]!) };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`sequence lengths on ${backend} (graphc kernels registered)`, () => {
    beforeAll(async () => {
      registerGraphcKernels('cpu');
      registerGraphcKernels('wasm');
      expect(await tf.setBackend(backend)).toBe(true);
    });

    for (const stack of STACKS) {
      for (const [cell, resetAfter] of CELLS) {
        for (const output of ['sequences', 'last', 'state'] as const) {
          it(`${stack.name}, ${cell}${resetAfter ? ' reset_after' : ''}, output ${output}: padded with lengths ≡ each example alone`, async () => {
            const init = new Initializer(new RandomStream(5, 'init'));
            const layers = stack.make(init, cell, resetAfter);
            const variables = init.variables().map((v) => v.variable);
            const x = randomTensor([BATCH, STEPS, INPUT], 41, 1.2) as tf.Tensor3D;
            const lengths = tf.tensor1d(LENGTHS, 'int32');
            // The cotangent of example b's outputs, the same in both runs: zero past its length.
            const cotangent = randomTensor(output === 'sequences' ? [BATCH, STEPS, 1] : [BATCH, 1], 9);
            const padded = valueAndWeightGrads(() => stack.run(x, layers, cell, output, lengths), variables, (shape) => tf.mul(tf.ones(shape), cotangent));
            const value = await padded.value.array();

            const perExample = LENGTHS.map((len, b) =>
              tf.tidy(() => {
                const xb = tf.slice(x, [b, 0, 0], [1, len, INPUT]);
                const cb = output === 'sequences' ? tf.slice(cotangent, [b, 0, 0], [1, len, 1]) : tf.slice(cotangent, [b, 0], [1, 1]);
                const r = valueAndWeightGrads(() => stack.run(xb, layers, cell, output), variables, (shape) => tf.mul(tf.ones(shape), cb));
                return [r.value, ...r.grads];
              }),
            );
            const width = (output === 'state' && cell.endsWith('lstm') ? 2 : 1) * stack.directions * UNITS;
            for (const [b, len] of LENGTHS.entries()) {
              const alone = (await perExample[b]![0]!.array()) as number[][] | number[][][];
              if (output === 'sequences') {
                const steps = (value as number[][][])[b]!;
                expect(relativeError(steps.slice(0, len).flat(), (alone as number[][][])[0]!.flat())).toBeLessThan(1e-5);
                expect(steps.slice(len).flat().every((v) => v === 0)).toBe(true);
              } else {
                expect((value as number[][])[b]!.length).toBe(width);
                expect(relativeError((value as number[][])[b]!, (alone as number[][])[0]!)).toBeLessThan(1e-5);
              }
            }
            for (const [k, grad] of padded.grads.entries()) {
              const sum = tf.addN(perExample.map((r) => r[k + 1]!));
              expect(relativeError(await grad.data(), await sum.data()), `gradient of ${variables[k]!.name}`).toBeLessThan(1e-4);
              sum.dispose();
            }
            tf.dispose([x, lengths, cotangent, padded.value, ...padded.grads, ...perExample.flat()]);
            variables.forEach((v) => v.dispose());
          });
        }
      }
    }
  });
}
