/**
 * The wasm UnsortedSegmentSum (tf.gather's gradient, which stock tfjs-wasm
 * lacks) must give what tfjs's cpu kernel gives, repeated and unused segments
 * and out-of-range ids included; and with it, an embedding's gradient.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues } from '../../rnn/helpers.js';

async function on<T>(backend: string, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

describe('wasm UnsortedSegmentSum', () => {
  beforeAll(async () => {
    registerGraphcKernels('wasm', { stock: true });
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  const cases = [
    { x: [6, 3], ids: [0, 3, 3, 1, 0, 3], segments: 5 },
    { x: [4, 2, 2], ids: [2, 2, 2, 2], segments: 3 },
    { x: [5], ids: [1, 0, 4, 4, 1], segments: 6 },
    // An id outside [0, segments) adds nowhere (-1 and 7 here).
    { x: [4, 2], ids: [-1, 1, 7, 1], segments: 3 },
  ];
  for (const c of cases) {
    it(`x [${c.x.join(', ')}], ids [${c.ids.join(', ')}], ${c.segments} segments: as the cpu kernel`, async () => {
      const values = randomValues(c.x.reduce((a, b) => a * b, 1), 5);
      const run = (): number[] => tf.tidy(() => Array.from(tf.unsortedSegmentSum(tf.tensor(values, c.x), tf.tensor1d(c.ids, 'int32'), c.segments).dataSync()));
      const expected = await on('cpu', run);
      const actual = await on('wasm', run);
      // The cpu kernel adds the rows in another order: equal within float32 rounding.
      expect(actual).toHaveLength(expected.length);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    });
  }

  it('an int32 sum, and the gradient of a gather from a table: rows summed where ids repeat', async () => {
    await tf.setBackend('wasm');
    expect(Array.from(tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 1], 'int32'), 2).dataSync())).toEqual([3, 7]);
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor2d([[2, 0], [2, 2]], [2, 2], 'int32'))))(table);
    expect(grad.arraySync()).toEqual([[1, 1], [0, 0], [3, 3]]);
  });
});
