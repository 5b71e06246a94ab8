/**
 * Adam on wasm, through graphc's vectorised GraphcAdamUpdate kernel, against
 * Adam's composite ops on the cpu backend: the same variables, m and v after
 * several steps (the kernel does the composite's float32 operations in its
 * order, so to 1e-6 at most), on sizes with and without a remainder past the
 * last 4-lane block, and slot state that moves between the two layouts.
 */
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { hasFusedAdam } from '../../../../src/runtime/kernels/adam_update.js';
import { registerWasmKernels } from '../../../../src/runtime/kernels/wasm/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { expectSameAdam, trainAdam } from '../adam_helpers.js';

async function on<T>(backend: 'cpu' | 'wasm', fn: () => Promise<T>): Promise<T> {
  registerWasmKernels();
  expect(await tf.setBackend(backend)).toBe(true);
  return fn();
}

describe('Adam on wasm (fused GraphcAdamUpdate) ≡ composite Adam', () => {
  it('4 steps: same variables, m and v', async () => {
    const expected = await on('cpu', () => trainAdam(4));
    const actual = await on('wasm', async () => {
      expect(hasFusedAdam()).toBe(true);
      return trainAdam(4);
    });
    expectSameAdam(actual, expected);
  });

  it('state saved from one layout continues identically in the other', async () => {
    const start = await on('cpu', () => trainAdam(2));
    const expected = await on('cpu', () => trainAdam(2, start));
    const resumed = await on('wasm', () => trainAdam(2, start));
    expectSameAdam(resumed, expected);
    const back = await on('cpu', () => trainAdam(1, resumed));
    expectSameAdam(back, await on('cpu', () => trainAdam(1, expected)));
  });
});
