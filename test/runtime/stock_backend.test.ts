/** initBackend(…, { stock: true }) starts a backend with tfjs's own kernels only (what benchmark baselines run on). */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/runtime/backends.js';
import { hasFusedGru } from '../../src/runtime/kernels/gru_sequence.js';
import { WASM_KERNELS } from '../../src/runtime/kernels/wasm/index.js';
import { tf } from '../../src/runtime/tf.js';

describe('a stock backend', () => {
  it('has none of graphc\'s wasm kernels registered', async () => {
    await initBackend('wasm', { stock: true });
    for (const config of WASM_KERNELS) expect(tf.getKernel(config.kernelName, 'wasm'), config.kernelName).not.toBe(config);
    expect(hasFusedGru()).toBe(false);
  });
});
