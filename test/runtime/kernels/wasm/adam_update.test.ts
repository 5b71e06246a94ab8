/**
 * Adam on wasm, through graphc's vectorised GraphcAdamUpdate kernel, against
 * Adam's composite ops on the cpu backend: the same variables, m and v after
 * several steps (the kernel does the composite's float32 operations in its
 * order, so to 1e-6 at most), on sizes with and without a remainder past the
 * last 4-lane block, and slot state that moves between the two layouts.
 */
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect } from 'vitest';
import { tf } from '../../../../src/runtime/tf.js';
import { itMatchesCompositeAdam } from '../adam_helpers.js';

describe('Adam on wasm (fused GraphcAdamUpdate) ≡ composite Adam', () => {
  itMatchesCompositeAdam(async (where, fn) => {
    registerGraphcKernels('wasm');
    expect(await tf.setBackend(where === 'cpu' ? 'cpu' : 'wasm')).toBe(true);
    return fn();
  });
});
