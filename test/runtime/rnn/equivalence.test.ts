/**
 * `gru` (composite, tfjs autodiff) and `block_gru` (fused, hand-written BPTT)
 * must agree on outputs and on every gradient. Metric: relativeError =
 * max|block − gru| / max|gru| over each tensor, required < 1e-5.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import {
  blockGruSequence,
  createStackBidirectionalWeights,
  gruSequence,
  stackBidirectionalDynamicRnn,
  type BidirectionalLayer,
  type GruCellType,
} from '../../../src/runtime/rnn/index.js';
import { expectClose, fromWeights, outputAndGrads, randomGruWeights, randomTensor, toWeights } from './helpers.js';

const SHAPES: Array<[number, number, number, number]> = [
  // B, T, I, H
  [3, 4, 5, 6],
  [1, 1, 2, 3],
  [4, 7, 3, 8],
  [2, 5, 9, 2],
];

for (const backend of ['cpu', 'wasm']) {
  describe(`gru ≡ block_gru on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    for (const [b, t, i, h] of SHAPES) {
      for (const reverse of [false, true]) {
        it(`single direction B=${b} T=${t} I=${i} H=${h} ${reverse ? 'reverse' : 'forward'}: outputs, dx and weight grads`, async () => {
          const x = randomTensor([b, t, i], 100 + b * t, 1.2);
          const w = randomGruWeights(i, h, 7 * h + i);
          const inputs = [x, ...fromWeights(w)];
          const seq = (fn: typeof gruSequence) => (xi: tf.Tensor, ...ws: tf.Tensor[]) => fn(xi as tf.Tensor3D, toWeights(ws), { reverse });
          const reference = await outputAndGrads(seq(gruSequence), inputs, 5);
          const fused = await outputAndGrads(seq(blockGruSequence), inputs, 5);
          expect(fused.grads.map((g) => g.length)).toEqual(inputs.map((v) => v.size));
          expectClose(fused, reference);
          tf.dispose(inputs);
        });
      }
    }

    for (const keep of [1, 0.5]) {
      it(`stack_bidirectional, 2 layers, output_keep_prob=${keep}: same outputs and gradients`, async () => {
        const init = new Initializer(new RandomStream(3, 'init'));
        const layers = createStackBidirectionalWeights(init, 'rnn', { cell: 'gru', layers: 2, inputSize: 6, units: 5 });
        const x = randomTensor([3, 4, 6], 17);
        const flat = [x, ...layers.flatMap((l) => [...fromWeights(l.fw), ...fromWeights(l.bw)])];
        const run =
          (cell: GruCellType) =>
          (xi: tf.Tensor, ...ws: tf.Tensor[]): tf.Tensor => {
            const rebuilt: BidirectionalLayer[] = [0, 1].map((k) => ({
              fw: toWeights(ws.slice(8 * k, 8 * k + 4)),
              bw: toWeights(ws.slice(8 * k + 4, 8 * k + 8)),
            }));
            // A fresh stream per call, so both lowerings (and the value/grad passes) draw the same masks.
            return stackBidirectionalDynamicRnn(xi as tf.Tensor3D, rebuilt, { cell, outputKeepProb: keep, random: new RandomStream(99) });
          };
        const reference = await outputAndGrads(run('gru'), flat, 8);
        const fused = await outputAndGrads(run('block_gru'), flat, 8);
        expect(reference.value.length).toBe(3 * 4 * 10);
        expectClose(fused, reference);
        const zeros = reference.value.filter((v) => v === 0).length / reference.value.length;
        if (keep === 1) expect(zeros).toBe(0);
        else expect(zeros).toBeGreaterThan(0.25);
        x.dispose();
        init.variables().forEach((v) => v.variable.dispose());
      });
    }
  });
}
