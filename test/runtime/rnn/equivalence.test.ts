/**
 * `gru` (composite, tfjs autodiff) and `block_gru` (fused, hand-written BPTT)
 * must agree on outputs and on every gradient. Metric: relativeError =
 * max|block − gru| / max|gru| over each tensor, required < 1e-5.
 * stacks.test.ts checks them inside the stacks.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { blockGruSequence, gruSequence, type GruWeights } from '../../../src/runtime/rnn/index.js';
import { itMatchesComposite, randomGruWeights } from './helpers.js';

function toWeights(list: readonly tf.Tensor[]): GruWeights {
  const [gatesKernel, gatesBias, candidateKernel, candidateBias] = list;
  return {
    gatesKernel: gatesKernel as tf.Tensor2D,
    gatesBias: gatesBias as tf.Tensor1D,
    candidateKernel: candidateKernel as tf.Tensor2D,
    candidateBias: candidateBias as tf.Tensor1D,
  };
}

function fromWeights(w: GruWeights): tf.Tensor[] {
  return [w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias];
}

for (const backend of ['cpu', 'wasm']) {
  describe(`gru ≡ block_gru on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    itMatchesComposite<GruWeights>({ randomWeights: randomGruWeights, toList: fromWeights, fromList: toWeights, composite: gruSequence, fused: blockGruSequence });
  });
}
