/**
 * GraphcAttention and its grad kernel on webgpu (kernels/webgpu/attention*.ts)
 * give what the composition of tfjs ops gives on the cpu backend (the
 * reference: it has no fused kernel), in the output and in the gradients
 * w.r.t. the query, key, value, mask and a projection's kernel. Two of the
 * wasm test's cases, which between them have odd sizes, a float mask (with
 * its gradient) and a fully masked row, a bool mask and dropout: lavapipe
 * compiles every pipeline on the CPU, and each shape is a new one.
 */
import { describe, expect, it, vi } from 'vitest';
import { ATTENTION, ATTENTION_GRAD, hasFusedAttention } from '../../../../src/runtime/kernels/attention.js';
import { tf } from '../../../../src/runtime/tf.js';
import { relativeError } from '../../rnn/helpers.js';
import { ATTENTION_CASES, attentionAndGradients, type AttentionResult } from '../attention_helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const TOL = 1e-4;
const gpu = await webgpuForTests();

function expectClose(actual: AttentionResult, expected: AttentionResult): void {
  expect(relativeError(actual.output, expected.output), 'output').toBeLessThan(TOL);
  expect(Object.keys(actual.gradients)).toEqual(Object.keys(expected.gradients));
  for (const [name, gradient] of Object.entries(expected.gradients)) {
    expect(relativeError(actual.gradients[name]!, gradient), `gradient w.r.t. the ${name}`).toBeLessThan(TOL);
  }
}

describe.skipIf(!gpu.available)(`the fused attention kernel on webgpu${gpu.titleSuffix}`, () => {
  for (const c of [ATTENTION_CASES[2]!, ATTENTION_CASES[4]!]) {
    it(`${c.name}: the composition's output and gradients`, async () => {
      const reference = await onBackend('cpu', () => attentionAndGradients(c, false));
      await onBackend('webgpu', async () => {
        expect(hasFusedAttention()).toBe(true);
        const [forward, backward] = [ATTENTION, ATTENTION_GRAD].map((name) => vi.spyOn(tf.getKernel(name, 'webgpu')!, 'kernelFunc'));
        try {
          const fused = await attentionAndGradients(c, false);
          expect([forward!.mock.calls.length, backward!.mock.calls.length]).toEqual([2, 1]);
          expectClose(fused, reference);
        } finally {
          forward!.mockRestore();
          backward!.mockRestore();
        }
      });
    });
  }

  it("leaves a problem too large for the programs' dispatch (65,535 workgroups of 64) to the composition", async () => {
    await onBackend('webgpu', async () => {
      expect(hasFusedAttention('webgpu', { batch: 100, tq: 28, tk: 28, heads: 4, dk: 16, dv: 16 })).toBe(true);
      expect(hasFusedAttention('webgpu', { batch: 64, tq: 512, tk: 512, heads: 8, dk: 64, dv: 64 })).toBe(false);
    });
  });
});
