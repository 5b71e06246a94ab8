/**
 * The webgpu GraphcGruSequence kernels against the composite block_gru
 * (rnn/block_gru.ts) run on the cpu backend: outputs and the gradients of
 * every input, relative error < 1e-4, on small shapes (lavapipe computes
 * at a few GFLOP/s).
 */
import { describe, expect, it } from 'vitest';
import { fusedGruSequence, hasFusedGru } from '../../../../src/runtime/kernels/gru_sequence.js';
import { blockGruSequence, type GruWeights } from '../../../../src/runtime/rnn/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { outputAndGrads, randomGruWeights, randomTensor, relativeError, type OutputAndGrads } from '../../rnn/helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const TOL = 1e-4;
const gpu = await webgpuForTests();

function toWeights([gatesKernel, gatesBias, candidateKernel, candidateBias]: tf.Tensor[]): GruWeights {
  return {
    gatesKernel: gatesKernel as tf.Tensor2D,
    gatesBias: gatesBias as tf.Tensor1D,
    candidateKernel: candidateKernel as tf.Tensor2D,
    candidateBias: candidateBias as tf.Tensor1D,
  };
}

async function run(sequence: typeof blockGruSequence, shape: readonly number[], reverse: boolean): Promise<OutputAndGrads> {
  const [b, t, i, h] = shape as [number, number, number, number];
  const w = randomGruWeights(i, h, 7 * h + i);
  const inputs = [randomTensor([b, t, i], 100 + b * t, 1.2), w.gatesKernel, w.gatesBias, w.candidateKernel, w.candidateBias];
  const result = await outputAndGrads((x, ...ws) => sequence(x as tf.Tensor3D, toWeights(ws), { reverse }), inputs, 5);
  tf.dispose(inputs);
  return result;
}

describe.skipIf(!gpu.available)(`GraphcGruSequence on webgpu ≡ composite block_gru${gpu.titleSuffix}`, () => {
  const SHAPES = [
    // B, T, I, H: H not a power of two; T = 1; H over 256 (two units per invocation, several GEMM tiles)
    [3, 5, 4, 6],
    [2, 1, 3, 5],
    [2, 3, 3, 260],
  ];
  for (const shape of SHAPES) {
    for (const reverse of [false, true]) {
      it(`B,T,I,H=${shape.join(',')} ${reverse ? 'reverse' : 'forward'}: outputs and gradients of x and all four weights`, async () => {
        const reference = await onBackend('cpu', () => run(blockGruSequence, shape, reverse));
        const fused = await onBackend('webgpu', async () => {
          expect(hasFusedGru()).toBe(true);
          return run(fusedGruSequence, shape, reverse);
        });
        expect(relativeError(fused.value, reference.value)).toBeLessThan(TOL);
        expect(fused.grads.length).toBe(5);
        fused.grads.forEach((g, k) => expect(relativeError(g, reference.grads[k]!), `gradient ${k}`).toBeLessThan(TOL));
      });
    }
  }
});
