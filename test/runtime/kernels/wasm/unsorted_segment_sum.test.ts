/**
 * graphc's UnsortedSegmentSum for the wasm backend (which lacks one; tf.gather's
 * gradient, so an embedding's, needs it) agrees with the cpu backend's, and an
 * embedding lookup's gradient reaches its table on wasm.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomTensor } from '../../rnn/helpers.js';

async function onBackend(backend: string, fn: () => tf.Tensor): Promise<number[]> {
  await tf.setBackend(backend);
  const t = fn();
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(() => {
    registerGraphcKernels('wasm');
  });

  it('sums rows into their segments, drops ids out of range, and matches the cpu backend', async () => {
    const ids = [3, 0, 3, 5, -1, 1, 0, 9];
    const run = () => tf.tidy(() => tf.unsortedSegmentSum(randomTensor([8, 2, 3], 4), tf.tensor1d(ids, 'int32'), 6));
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(wasm).toHaveLength(6 * 2 * 3);
    wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i]!, 6));
    // Segments 2 and 4 receive no row.
    expect(wasm.slice(2 * 6, 3 * 6).every((v) => v === 0)).toBe(true);
  });

  it("gives tf.gather's gradient: an embedding table learns on wasm", async () => {
    const grad = (backend: string) =>
      onBackend(backend, () => tf.tidy(() => tf.grad((table: tf.Tensor) => tf.sum(tf.mul(tf.gather(table, tf.tensor2d([[1, 4], [1, 0]], [2, 2], 'int32')), randomTensor([2, 2, 3], 5))))(randomTensor([5, 3], 6))));
    const cpu = await grad('cpu');
    const wasm = await grad('wasm');
    wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i]!, 6));
    expect(wasm.some((v) => v !== 0)).toBe(true);
  });
});
