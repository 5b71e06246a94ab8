/**
 * graphc's wasm MaxPoolGrad and Cast to bool must give what tfjs's cpu kernels
 * give, where stock tfjs-backend-wasm does not: windows whose maximum is
 * negative (stock wasm sends their gradient to the window's first element), and
 * casts of negative or fractional values to bool.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues } from '../../rnn/helpers.js';

type Pad = 'same' | 'valid';

async function poolGradient(backend: string, x: number[], shape: number[], size: [number, number], strides: [number, number], pad: Pad): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const input = tf.tensor4d(x, shape as [number, number, number, number]);
    const pooled = tf.maxPool(input, size, strides, pad);
    const cotangent = tf.tensor(randomValues(pooled.size, 5), pooled.shape);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, strides, pad), cotangent)))(input);
    return Array.from(grad.dataSync());
  });
}

describe('wasm MaxPoolGrad', () => {
  beforeAll(async () => {
    registerGraphcKernels('wasm');
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  const cases: Array<{ x: number[]; size: [number, number]; strides: [number, number]; pad: Pad; offset: number }> = [
    { x: [2, 6, 6, 3], size: [2, 2], strides: [2, 2], pad: 'same', offset: 0 },
    // Every value negative: each window's maximum is negative.
    { x: [2, 6, 6, 3], size: [2, 2], strides: [2, 2], pad: 'same', offset: -3 },
    { x: [1, 7, 5, 2], size: [2, 2], strides: [2, 2], pad: 'same', offset: -3 },
    { x: [2, 7, 7, 1], size: [2, 2], strides: [2, 2], pad: 'valid', offset: -1 },
    // Overlapping windows: one input can be the maximum of several.
    { x: [1, 8, 8, 2], size: [3, 3], strides: [1, 1], pad: 'same', offset: -1 },
    { x: [2, 5, 6, 2], size: [3, 2], strides: [2, 1], pad: 'valid', offset: 0 },
  ];
  for (const c of cases) {
    it(`x ${c.x.join('×')}, window ${c.size.join('×')}, strides ${c.strides.join('×')}, ${c.pad}, values from ${c.offset - 2}: equals the cpu kernel (within float32 rounding)`, async () => {
      const x = randomValues(c.x.reduce((a, b) => a * b, 1), 13, 2).map((v) => v + c.offset);
      const expected = await poolGradient('cpu', x, c.x, c.size, c.strides, c.pad);
      const actual = await poolGradient('wasm', x, c.x, c.size, c.strides, c.pad);
      // Overlapping windows add several gradients into one input, in another order than the cpu kernel's.
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(expected[i]!)));
    });
  }
});

describe('wasm Cast to bool', () => {
  it('is x ≠ 0 for float32 and int32, as on the cpu', async () => {
    const values = [0, 1, -0.5, 2, -0, 0.25, 3, -1, 256, -256];
    const cast = async (backend: string, dtype: 'float32' | 'int32') => {
      await tf.setBackend(backend);
      return Array.from(tf.tidy(() => tf.cast(tf.tensor1d(values, dtype), 'bool').dataSync()));
    };
    for (const dtype of ['float32', 'int32'] as const) expect(await cast('wasm', dtype)).toEqual(await cast('cpu', dtype));
    expect(await cast('wasm', 'float32')).toEqual([0, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
  });
});
