/**
 * The fused whole-sequence GRU kernels (GraphcGruSequence and its gradient)
 * of each backend must agree with the composite `gru` lowering (tfjs ops and
 * autodiff) on outputs and on every gradient, forward and reverse, and inside
 * the bidirectional stack with dropout on and off. Metric: max|fused − ref| /
 * max|ref| per tensor < 1e-5.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from '../../../../src/runtime/kernels/cpu/index.js';
import { fusedGruSequence, GRU_SEQUENCE, GRU_SEQUENCE_GRAD, hasFusedGru } from '../../../../src/runtime/kernels/gru_sequence.js';
import { registerWasmKernels } from '../../../../src/runtime/kernels/wasm/index.js';
import { gruSequence } from '../../../../src/runtime/rnn/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { expectClose, expectStackedLoweringsAgree, fromWeights, outputAndGrads, randomGruWeights, randomTensor, toWeights } from '../../rnn/helpers.js';

const SHAPES: Array<[number, number, number, number]> = [
  // B, T, I, H
  [3, 4, 5, 6],
  [1, 1, 2, 3],
  [4, 7, 3, 8],
  [2, 5, 9, 2],
  [5, 3, 16, 12],
];

/** The kernels tfjs ran for `f`, by name. */
async function kernelsRun(f: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => {
    const out = f();
    return out;
  });
  return info.kernelNames;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GraphcGruSequence on ${backend} ≡ composite gru`, () => {
    beforeAll(async () => {
      registerCpuKernels();
      registerWasmKernels();
      expect(await tf.setBackend(backend)).toBe(true);
      expect(hasFusedGru()).toBe(true);
    });

    it('runs the fused kernels, forward and gradient', async () => {
      const x = randomTensor([2, 3, 4], 1);
      const w = randomGruWeights(4, 5, 2);
      const names = await kernelsRun(() => tf.grads((xi: tf.Tensor) => tf.sum(fusedGruSequence(xi as tf.Tensor3D, w, { reverse: false })))([x]));
      expect(names).toContain(GRU_SEQUENCE);
      expect(names).toContain(GRU_SEQUENCE_GRAD);
      tf.dispose([x, ...fromWeights(w)]);
    });

    for (const [b, t, i, h] of SHAPES) {
      for (const reverse of [false, true]) {
        it(`B=${b} T=${t} I=${i} H=${h} ${reverse ? 'reverse' : 'forward'}: outputs, dx and weight gradients`, async () => {
          const x = randomTensor([b, t, i], 100 + b * t, 1.2);
          const w = randomGruWeights(i, h, 7 * h + i);
          const inputs = [x, ...fromWeights(w)];
          const seq = (fn: typeof gruSequence) => (xi: tf.Tensor, ...ws: tf.Tensor[]) => fn(xi as tf.Tensor3D, toWeights(ws), { reverse });
          const reference = await outputAndGrads(seq(gruSequence), inputs, 5);
          const fused = await outputAndGrads(seq(fusedGruSequence), inputs, 5);
          expect(fused.grads.map((g) => g.length)).toEqual(inputs.map((v) => v.size));
          expectClose(fused, reference);
          tf.dispose(inputs);
        });
      }
    }

    for (const keep of [1, 0.5]) {
      it(`in a 2-layer bidirectional stack, output_keep_prob=${keep}: same outputs and gradients`, async () => {
        await expectStackedLoweringsAgree(keep);
      });
    }

    it('rejects inputs that do not fit together', () => {
      const x = randomTensor([2, 3, 4], 1);
      const w = randomGruWeights(5, 3, 2);
      const inputs = { x, gatesKernel: w.gatesKernel, gatesBias: w.gatesBias, candidateKernel: w.candidateKernel, candidateBias: w.candidateBias };
      expect(() => tf.engine().runKernel(GRU_SEQUENCE, inputs, { reverse: false })).toThrow(/gatesKernel.*\[8, 6\], expected \[7, 6\]/);
      tf.dispose([x, ...fromWeights(w)]);
    });
  });
}
