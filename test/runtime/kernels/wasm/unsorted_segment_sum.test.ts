/**
 * The wasm UnsortedSegmentSum (tfjs-backend-wasm has none) must give what
 * tfjs's cpu kernel gives, float32 and int32, with repeated and out-of-range
 * ids; through it tf.gather has a gradient on wasm.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import { tf } from '../../../../src/runtime/tf.js';

async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

describe('wasm UnsortedSegmentSum', () => {
  beforeAll(async () => {
    registerGraphcKernels('wasm', { stock: true });
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  const cases = [
    { name: 'float32 rows, repeated ids', x: [5, 3], dtype: 'float32' as const, ids: [2, 0, 2, 3, 2], segments: 4 },
    { name: 'int32 scalars per id, an id out of range', x: [6], dtype: 'int32' as const, ids: [1, 1, -1, 0, 5, 1], segments: 3 },
    { name: 'blocks of [3, 2, 2]', x: [3, 2, 2], dtype: 'float32' as const, ids: [4, 0, 4], segments: 5 },
  ];
  for (const c of cases) {
    it(`${c.name}: matches the cpu kernel`, async () => {
      const size = c.x.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => (c.dtype === 'int32' ? i * 3 - 7 : Math.sin(i) * 2));
      const run = () =>
        tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(values, c.x, c.dtype), tf.tensor1d(c.ids, 'int32'), c.segments).arraySync());
      const expected = await on('cpu', run);
      const actual = await on('wasm', run);
      expect(actual).toEqual(expected);
    });
  }

  it("gives tf.gather its gradient: a repeated row's gradients add up", async () => {
    const grad = await on('wasm', () =>
      tf.tidy(() => tf.grad((table: tf.Tensor) => tf.sum(tf.gather(table, tf.tensor1d([1, 1, 3], 'int32'))))(tf.zeros([4, 2])).arraySync()),
    );
    expect(grad).toEqual([[0, 0], [2, 2], [0, 0], [1, 1]]);
  });
});
