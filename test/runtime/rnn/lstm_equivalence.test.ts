/**
 * `lstm` (composite, tfjs autodiff) and `block_lstm` (fused, hand-written
 * BPTT) must agree on outputs and on every gradient (relativeError < 1e-5);
 * stacks.test.ts checks them inside the stacks.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { blockLstmSequence, lstmSequence, type LstmWeights } from '../../../src/runtime/rnn/index.js';
import { itMatchesComposite, randomLstmWeights } from './helpers.js';

for (const backend of ['cpu', 'wasm']) {
  describe(`lstm ≡ block_lstm on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    itMatchesComposite<LstmWeights>({
      randomWeights: randomLstmWeights,
      toList: (w) => [w.kernel, w.bias],
      fromList: ([kernel, bias]) => ({ kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D }),
      composite: lstmSequence,
      fused: blockLstmSequence,
    });
  });
}
