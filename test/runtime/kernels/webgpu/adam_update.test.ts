/**
 * Adam on webgpu, through the fused GraphcAdamUpdate kernel, against Adam's
 * composite ops on the cpu backend: the same variables, m and v after several
 * steps (1e-6), and slot state that moves between the two layouts.
 */
import { describe, expect, it } from 'vitest';
import { hasFusedAdam } from '../../../../src/runtime/kernels/adam_update.js';
import { expectSameAdam as expectSame, trainAdam as train } from '../adam_helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const gpu = await webgpuForTests();

describe.skipIf(!gpu.available)(`Adam on webgpu (fused GraphcAdamUpdate) ≡ composite Adam${gpu.titleSuffix}`, () => {
  it('4 steps: same variables, m and v', async () => {
    const expected = await onBackend('cpu', () => train(4));
    const actual = await onBackend('webgpu', async () => {
      expect(hasFusedAdam()).toBe(true);
      return train(4);
    });
    expectSame(actual, expected);
  });

  it('state saved from one layout continues identically in the other', async () => {
    const start = await onBackend('cpu', () => train(2));
    const expected = await onBackend('cpu', () => train(2, start));
    const resumedOnGpu = await onBackend('webgpu', () => train(2, start));
    expectSame(resumedOnGpu, expected);
    const back = await onBackend('cpu', () => train(1, resumedOnGpu));
    expectSame(back, await onBackend('cpu', () => train(1, expected)));
  });
});
