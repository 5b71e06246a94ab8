/**
 * `gru` (composite, tfjs autodiff) and `block_gru` (fused, hand-written BPTT)
 * must agree on outputs and on every gradient. Metric: relativeError =
 * max|block − gru| / max|gru| over each tensor, required < 1e-5.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { blockGruSequence, gruSequence } from '../../../src/runtime/rnn/index.js';
import { expectClose, expectStackedLoweringsAgree, fromWeights, outputAndGrads, randomGruWeights, randomTensor, toWeights } from './helpers.js';

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
        await expectStackedLoweringsAgree(keep);
      });
    }
  });
}
