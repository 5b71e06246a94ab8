/**
 * conv2d's and max_pool's shape rules against what tfjs actually computes, over
 * a grid of sizes, windows, strides and both paddings; and their diagnostics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d } from '../../../src/compiler/ops/conv2d.js';
import { maxPool } from '../../../src/compiler/ops/max_pool.js';
import { tf } from '../../../src/runtime/tf.js';
import { float32, infer } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const grid: Array<[number, number, number, number, 'SAME' | 'VALID']> = [];
for (const size of [5, 7, 8]) for (const window of [1, 2, 3, 5]) for (const stride of [1, 2, 3]) for (const padding of ['SAME', 'VALID'] as const) grid.push([size, size + 1, window, stride, padding]);

describe('conv2d and max_pool output shapes match tfjs', () => {
  it(`conv2d over ${grid.length} combinations`, () => {
    for (const [h, w, k, s, padding] of grid) {
      if (padding === 'VALID' && k > h) continue;
      const { type, errors } = infer(conv2d, [float32(null, h, w, 3), float32(k, k, 3, 4)], { strides: [1, s, s, 1], padding });
      expect(errors).toEqual([]);
      const actual = tf.tidy(() => tf.conv2d(tf.zeros([2, h, w, 3]) as tf.Tensor4D, tf.zeros([k, k, 3, 4]) as tf.Tensor4D, s, padding === 'SAME' ? 'same' : 'valid').shape);
      expect(type!.shape, `h=${h} w=${w} k=${k} s=${s} ${padding}`).toEqual([null, ...actual.slice(1)]);
    }
  });

  it(`max_pool over ${grid.length} combinations`, () => {
    for (const [h, w, k, s, padding] of grid) {
      if (padding === 'VALID' && k > h) continue;
      const { type, errors } = infer(maxPool, [float32(null, h, w, 3)], { ksize: [1, k, k, 1], strides: [1, s, s, 1], padding });
      expect(errors).toEqual([]);
      const actual = tf.tidy(() => tf.maxPool(tf.zeros([2, h, w, 3]) as tf.Tensor4D, k, s, padding === 'SAME' ? 'same' : 'valid').shape);
      expect(type!.shape, `h=${h} w=${w} k=${k} s=${s} ${padding}`).toEqual([null, ...actual.slice(1)]);
    }
  });
});

describe('conv2d and max_pool diagnostics', () => {
  const image = float32(null, 6, 6, 2);
  const valid = { strides: [1, 1, 1, 1], padding: 'VALID' };

  it('a filter larger than the input with VALID is GC509 at the filter; SAME is fine', () => {
    expect(infer(conv2d, [image, float32(7, 3, 2, 4)], valid).errors).toEqual([{ code: 'GC509', path: 'inputs/1' }]);
    expect(infer(conv2d, [image, float32(7, 3, 2, 4)], { ...valid, padding: 'SAME' }).type?.shape).toEqual([null, 6, 6, 4]);
    expect(infer(maxPool, [image], { ksize: [1, 3, 7, 1], ...valid }).errors).toEqual([{ code: 'GC509', path: 'ksize' }]);
  });

  it('mismatched channels are GC510; a window over batch or channels is GC512', () => {
    expect(infer(conv2d, [image, float32(3, 3, 1, 4)], valid).errors).toEqual([{ code: 'GC510', path: 'inputs/1' }]);
    expect(infer(conv2d, [image, float32(3, 3, 2, 4)], { ...valid, strides: [2, 1, 1, 1] }).errors).toEqual([{ code: 'GC512', path: 'strides' }]);
    expect(infer(maxPool, [image], { ksize: [1, 2, 2, 2], strides: [1, 1, 1, 1], padding: 'SAME' }).errors).toEqual([{ code: 'GC512', path: 'ksize' }]);
  });

  it('inputs of the wrong rank, dtype or unknown size are reported at the input', () => {
    expect(infer(conv2d, [float32(null, 6, 6), float32(3, 3, 2, 4)], valid).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
    expect(infer(conv2d, [image, float32(3, 3, 2)], valid).errors).toEqual([{ code: 'GC503', path: 'inputs/1' }]);
    expect(infer(conv2d, [float32(null, null, 6, 2), float32(3, 3, 2, 4)], valid).errors).toEqual([{ code: 'GC507', path: 'inputs/0' }]);
    expect(infer(maxPool, [{ dtype: 'int32', shape: [null, 6, 6, 2] }], { ksize: [1, 2, 2, 1], ...valid }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
  });
});
