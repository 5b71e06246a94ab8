/**
 * The fused whole-sequence LSTM kernels (GraphcLstmSequence and its gradient)
 * of the cpu and wasm backends agree with the composite `lstm` lowering (TF
 * BasicLSTMCell in tfjs ops, autodiff) on outputs and on every gradient,
 * forward and reverse, with the default forget bias and without one
 * (relativeError < 1e-5). In the stacks: test/runtime/rnn/stacks.test.ts.
 */
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedLstmSequence, hasFusedLstm, LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '../../../../src/runtime/kernels/lstm_sequence.js';
import { lstmSequence, type LstmWeights } from '../../../../src/runtime/rnn/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { itMatchesComposite, itHandsSavedActivationsNoGradient, randomLstmWeights, randomTensor } from '../../rnn/helpers.js';

const toList = (w: LstmWeights): tf.Tensor[] => [w.kernel, w.bias];
const fromList = ([kernel, bias]: readonly tf.Tensor[]): LstmWeights => ({ kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D });

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GraphcLstmSequence on ${backend} ≡ composite lstm`, () => {
    beforeAll(async () => {
      registerGraphcKernels('cpu');
      registerGraphcKernels('wasm');
      expect(await tf.setBackend(backend)).toBe(true);
      expect(hasFusedLstm()).toBe(true);
    });

    it('runs the fused kernels, forward and gradient', async () => {
      const x = randomTensor([2, 3, 4], 1);
      const w = randomLstmWeights(4, 5, 2);
      const info = await tf.profile(() => tf.grads((xi: tf.Tensor) => tf.sum(fusedLstmSequence(xi as tf.Tensor3D, w, { reverse: false })))([x]));
      expect(info.kernelNames).toContain(LSTM_SEQUENCE);
      expect(info.kernelNames).toContain(LSTM_SEQUENCE_GRAD);
      tf.dispose([x, ...toList(w)]);
    });

    itHandsSavedActivationsNoGradient({ randomWeights: randomLstmWeights, toList: toList, fused: fusedLstmSequence }, backend === 'cpu');

    for (const forgetBias of [1, 0]) {
      describe(`forget_bias=${forgetBias}`, () => {
        const withBias = (fn: typeof lstmSequence) => (x: tf.Tensor3D, w: LstmWeights, options: { reverse: boolean }) => fn(x, w, { ...options, forgetBias });
        itMatchesComposite<LstmWeights>({ randomWeights: randomLstmWeights, toList, fromList, composite: withBias(lstmSequence), fused: withBias(fusedLstmSequence) });
      });
    }

    it('rejects a kernel that does not fit the bias', () => {
      const [x, kernel, bias] = [randomTensor([2, 3, 4], 1), randomTensor([9, 12], 2), randomTensor([12], 3)];
      expect(() => tf.engine().runKernel(LSTM_SEQUENCE, { x, kernel, bias }, { reverse: false, forgetBias: 1 })).toThrow(/kernel.*\[9, 12\], expected \[7, 12\]/);
      tf.dispose([x, kernel, bias]);
    });
  });
}
