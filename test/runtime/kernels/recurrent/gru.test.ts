/**
 * The fused whole-sequence GRU kernels (GraphcGruSequence and its gradient)
 * of the cpu and wasm backends agree with the composite `gru` lowering (tfjs
 * ops and autodiff) on outputs and on every gradient, forward and reverse
 * (relativeError < 1e-5). In the stacks, with dropout on and off:
 * test/runtime/rnn/stacks.test.ts.
 */
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedGruSequence, GRU_SEQUENCE, GRU_SEQUENCE_GRAD, hasFusedGru } from '../../../../src/runtime/kernels/gru_sequence.js';
import { gruSequence, gruWeightList, type GruWeights } from '../../../../src/runtime/rnn/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { gruWeightsFromList, itMatchesComposite, itHandsSavedActivationsNoGradient, randomGruWeights, randomResetAfterGruWeights, randomTensor } from '../../rnn/helpers.js';

const fromList = ([gatesKernel, gatesBias, candidateKernel, candidateBias]: readonly tf.Tensor[]): GruWeights => ({
  gatesKernel: gatesKernel as tf.Tensor2D,
  gatesBias: gatesBias as tf.Tensor1D,
  candidateKernel: candidateKernel as tf.Tensor2D,
  candidateBias: candidateBias as tf.Tensor1D,
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GraphcGruSequence on ${backend} ≡ composite gru`, () => {
    beforeAll(async () => {
      registerGraphcKernels('cpu');
      registerGraphcKernels('wasm');
      expect(await tf.setBackend(backend)).toBe(true);
      expect(hasFusedGru()).toBe(true);
    });

    it('runs the fused kernels, forward and gradient', async () => {
      const x = randomTensor([2, 3, 4], 1);
      const w = randomGruWeights(4, 5, 2);
      const info = await tf.profile(() => tf.grads((xi: tf.Tensor) => tf.sum(fusedGruSequence(xi as tf.Tensor3D, w, { reverse: false })))([x]));
      expect(info.kernelNames).toContain(GRU_SEQUENCE);
      expect(info.kernelNames).toContain(GRU_SEQUENCE_GRAD);
      tf.dispose([x, ...gruWeightList(w)]);
    });

    itHandsSavedActivationsNoGradient({ randomWeights: randomGruWeights, toList: gruWeightList, fused: fusedGruSequence }, backend === 'cpu');

    itMatchesComposite<GruWeights>({ randomWeights: randomGruWeights, toList: gruWeightList, fromList, composite: gruSequence, fused: fusedGruSequence });

    describe('reset_after (Keras/PyTorch form)', () => {
      it('runs the fused kernels, with the recurrent candidate bias as a fifth weight', async () => {
        const x = randomTensor([2, 3, 4], 1);
        const w = randomResetAfterGruWeights(4, 5, 2);
        expect(hasFusedGru(backend, { resetAfter: true })).toBe(true);
        const info = await tf.profile(() => tf.grads((xi: tf.Tensor) => tf.sum(fusedGruSequence(xi as tf.Tensor3D, w, { reverse: false })))([x]));
        expect(info.kernelNames).toContain(GRU_SEQUENCE);
        expect(info.kernelNames).toContain(GRU_SEQUENCE_GRAD);
        tf.dispose([x, ...gruWeightList(w)]);
      });

      itMatchesComposite<GruWeights>({ randomWeights: randomResetAfterGruWeights, toList: gruWeightList, fromList: gruWeightsFromList, composite: gruSequence, fused: fusedGruSequence });
    });

    it('rejects inputs that do not fit together', () => {
      const x = randomTensor([2, 3, 4], 1);
      const w = randomGruWeights(5, 3, 2);
      const inputs = { x, gatesKernel: w.gatesKernel, gatesBias: w.gatesBias, candidateKernel: w.candidateKernel, candidateBias: w.candidateBias };
      expect(() => tf.engine().runKernel(GRU_SEQUENCE, inputs, { reverse: false })).toThrow(/gatesKernel.*\[8, 6\], expected \[7, 6\]/);
      tf.dispose([x, ...gruWeightList(w)]);
    });
  });
}
