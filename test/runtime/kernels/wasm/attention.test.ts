/**
 * GraphcAttention and its grad kernel on wasm (kernels/wasm/attention*.ts)
 * give what the composition of tfjs ops gives, in the output and in the
 * gradients w.r.t. the query, key, value, mask and a projection's kernel:
 * against the composition on wasm itself (GRAPHC_ATTENTION=composition) and
 * on cpu (the reference backend, which has no fused kernel), with graphc's
 * GEMM and with it off (the kernels' own loop).
 */
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../../src/runtime/backends.js';
import { ATTENTION, ATTENTION_ENV, ATTENTION_GRAD, hasFusedAttention } from '../../../../src/runtime/kernels/attention.js';
import { GEMM_ENV, resetGemmSupport } from '../../../../src/runtime/kernels/wasm/simd/gemm.js';
import { tf } from '../../../../src/runtime/tf.js';
import { relativeError } from '../../rnn/helpers.js';
import { ATTENTION_CASES, attentionAndGradients, type AttentionResult } from '../attention_helpers.js';

function expectClose(actual: AttentionResult, expected: AttentionResult, tolerance: number): void {
  expect(relativeError(actual.output, expected.output), 'output').toBeLessThan(tolerance);
  expect(Object.keys(actual.gradients)).toEqual(Object.keys(expected.gradients));
  for (const [name, gradient] of Object.entries(expected.gradients)) {
    expect(relativeError(actual.gradients[name]!, gradient), `gradient w.r.t. the ${name}`).toBeLessThan(tolerance);
  }
}

/** Counts the calls of the wasm kernels while `fn` runs. */
async function countingCalls<T>(fn: () => Promise<T>): Promise<{ result: T; forward: number; backward: number }> {
  const [forward, backward] = [ATTENTION, ATTENTION_GRAD].map((name) => vi.spyOn(tf.getKernel(name, 'wasm')!, 'kernelFunc'));
  try {
    const result = await fn();
    return { result, forward: forward!.mock.calls.length, backward: backward!.mock.calls.length };
  } finally {
    forward!.mockRestore();
    backward!.mockRestore();
  }
}

describe('the fused attention kernel on wasm', () => {
  beforeAll(async () => {
    await initBackend('cpu');
    await initBackend('wasm');
  });

  for (const c of ATTENTION_CASES) {
    it(`${c.name}: the composition's output and gradients`, async () => {
      await tf.setBackend('cpu');
      const reference = await attentionAndGradients(c, false);
      await tf.setBackend('wasm');
      expect(hasFusedAttention()).toBe(true);
      const composed = await countingCalls(() => attentionAndGradients(c, true));
      expect([composed.forward, composed.backward]).toEqual([0, 0]);
      const fused = await countingCalls(() => attentionAndGradients(c, false));
      // The forward pass runs twice (the output, then under the gradient tape); the backward once.
      expect([fused.forward, fused.backward]).toEqual([2, 1]);
      expectClose(fused.result, composed.result, 2e-5);
      expectClose(fused.result, reference, 2e-5);
    });
  }

  describe("with graphc's GEMM off (the kernels' own loop)", () => {
    beforeAll(() => {
      process.env[GEMM_ENV] = 'off';
      resetGemmSupport();
    });
    afterAll(() => {
      delete process.env[GEMM_ENV];
      resetGemmSupport();
    });
    for (const c of [ATTENTION_CASES[1]!, ATTENTION_CASES[4]!]) {
      it(`${c.name}: the composition's output and gradients`, async () => {
        await tf.setBackend('cpu');
        const reference = await attentionAndGradients(c, false);
        await tf.setBackend('wasm');
        expectClose(await attentionAndGradients(c, false), reference, 2e-5);
      });
    }
  });

  it('GRAPHC_ATTENTION=composition turns the fused path off', async () => {
    await tf.setBackend('wasm');
    process.env[ATTENTION_ENV] = 'composition';
    try {
      expect(hasFusedAttention()).toBe(false);
    } finally {
      delete process.env[ATTENTION_ENV];
    }
    expect(hasFusedAttention()).toBe(true);
    expect(hasFusedAttention('cpu')).toBe(false);
  });
});
