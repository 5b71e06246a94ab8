/**
 * Dropout's mask is random, so peer.test.ts compares it with PyTorch only at
 * keep probability 1. Here the mask itself is checked statistically on each
 * backend, the same way on both sides: every value is 0 or x/keep (inverted
 * dropout, as TF1's tf.nn.dropout and torch's F.dropout scale), the share kept
 * is keep within four standard deviations, and the gradient is the
 * cotangent/keep where kept and 0 where dropped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/runtime/backends.js';
import { webgpuForTests } from '../runtime/kernels/webgpu/helpers.js';
import { PEER_BACKENDS, prepareCase, runGraphc, runTorch, torchAvailable, type PeerCase, type PreparedCase, type TensorValues } from './harness.js';

const KEEP = 0.7;
const SHAPE = [64, 48];
const dropout: PeerCase = {
  name: `keep_prob placeholder = ${KEEP}, batch [${SHAPE.join(', ')}]`,
  node: { op: 'dropout', keep_prob: 'keep_prob' },
  // Away from zero, so that a kept value is told from a dropped one.
  inputs: [{ shape: SHAPE, range: [0.5, 2], batch: true }],
  extraPlaceholders: { keep_prob: { dtype: 'float32', shape: [], value: KEEP } },
  torch: `F.dropout(x0, p=${1 - KEEP})`,
};

/** Checks one side's output (and gradient, when given) against the mask's laws; returns the share kept. */
function checkMask(p: PreparedCase, out: TensorValues, grad: readonly number[] | undefined, side: string): number {
  const x = p.inputs[0]!.values;
  const cot = p.cotangents[0]!.values;
  let kept = 0;
  for (let i = 0; i < x.length; i++) {
    const y = out.values[i]!;
    const scaled = x[i]! / KEEP;
    const isKept = Math.abs(y - scaled) <= 1e-6 * scaled;
    if (!isKept && y !== 0) throw new Error(`${side}: value ${i} is ${y}, neither 0 nor x/keep = ${scaled}`);
    if (isKept) kept++;
    if (grad) {
      const want = isKept ? cot[i]! / KEEP : 0;
      if (Math.abs(grad[i]! - want) > 1e-6 * Math.abs(want) + 1e-7) throw new Error(`${side}: gradient ${i} is ${grad[i]}, expected ${want} (${isKept ? 'kept' : 'dropped'})`);
    }
  }
  const share = kept / x.length;
  const sigma = Math.sqrt((KEEP * (1 - KEEP)) / x.length);
  expect(Math.abs(share - KEEP), `${side}: kept ${share} of the values, keep_prob ${KEEP}`).toBeLessThan(4 * sigma);
  return share;
}

const gpu = await webgpuForTests();
const torch = torchAvailable();

describe('dropout masks, statistically', () => {
  let prepared: PreparedCase;
  beforeAll(async () => {
    await initBackend('cpu');
    prepared = await prepareCase('dropout', dropout);
  });

  for (const backend of PEER_BACKENDS) {
    it.skipIf(backend === 'webgpu' && !gpu.available)(`graphc on ${backend}: values 0 or x/keep, the share kept near keep, the gradient through the mask${backend === 'webgpu' ? gpu.titleSuffix : ''}`, async () => {
      await initBackend(backend);
      const result = await runGraphc(prepared);
      checkMask(prepared, result.outputs[0]!, result.inputGrads['x0'], `graphc on ${backend}`);
    });
  }

  it.skipIf(!torch.ok)(`PyTorch's F.dropout follows the same laws${torch.ok ? '' : ` (skipped: ${torch.reason})`}`, async () => {
    const { answers } = await runTorch([prepared]);
    const answer = answers[0]!;
    if ('error' in answer) throw new Error(answer.error);
    checkMask(prepared, answer.outputs[0]!, answer.inputGrads['x0'], 'PyTorch');
  });
});
