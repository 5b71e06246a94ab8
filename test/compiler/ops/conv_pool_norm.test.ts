/**
 * conv1d's, avg_pool's, the global pools' and batch_norm's shape rules: the
 * output shapes against what tfjs computes, and their located diagnostics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { avgPool } from '../../../src/compiler/ops/avg_pool.js';
import { batchNorm } from '../../../src/compiler/ops/batch_norm.js';
import { conv1d } from '../../../src/compiler/ops/conv1d.js';
import { globalAveragePool } from '../../../src/compiler/ops/global_average_pool.js';
import { globalMaxPool } from '../../../src/compiler/ops/global_max_pool.js';
import { tf } from '../../../src/runtime/tf.js';
import { float32, infer } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('conv1d', () => {
  it('output widths match tf.conv1d over widths, taps, strides, dilations and both paddings', () => {
    let checked = 0;
    for (const width of [5, 8, 9]) {
      for (const taps of [1, 2, 3, 5]) {
        for (const [stride, dilation] of [[1, 1], [2, 1], [3, 1], [1, 2], [1, 3]] as const) {
          for (const padding of ['SAME', 'VALID'] as const) {
            if (padding === 'VALID' && (taps - 1) * dilation + 1 > width) continue;
            const { type, errors } = infer(conv1d, [float32(null, width, 3), float32(taps, 3, 4)], { stride, dilation, padding });
            expect(errors).toEqual([]);
            const actual = tf.tidy(() => tf.conv1d(tf.zeros([2, width, 3]) as tf.Tensor3D, tf.zeros([taps, 3, 4]) as tf.Tensor3D, stride, padding === 'SAME' ? 'same' : 'valid', 'NWC', dilation).shape);
            expect(type!.shape, `w=${width} k=${taps} s=${stride} d=${dilation} ${padding}`).toEqual([null, ...actual.slice(1)]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('diagnostics: rank, unknown width, filter rank, channels, stride with dilation, a filter wider than the input', () => {
    const x = float32(null, 6, 2);
    expect(infer(conv1d, [float32(null, 6, 6, 2), float32(3, 2, 4)], { padding: 'SAME' }).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
    expect(infer(conv1d, [float32(null, null, 2), float32(3, 2, 4)], { padding: 'SAME' }).errors).toEqual([{ code: 'GC507', path: 'inputs/0' }]);
    expect(infer(conv1d, [x, float32(3, 3, 2, 4)], { padding: 'SAME' }).errors).toEqual([{ code: 'GC503', path: 'inputs/1' }]);
    expect(infer(conv1d, [x, float32(3, 5, 4)], { padding: 'SAME' }).errors).toEqual([{ code: 'GC510', path: 'inputs/1' }]);
    expect(infer(conv1d, [x, float32(3, 2, 4)], { padding: 'SAME', stride: 2, dilation: 2 }).errors).toEqual([{ code: 'GC552', path: 'dilation' }]);
    expect(infer(conv1d, [x, float32(7, 2, 4)], { padding: 'VALID' }).errors).toEqual([{ code: 'GC509', path: 'inputs/1' }]);
    // Dilation 3 spreads 3 taps over 7 positions: too wide for 6 with VALID, fine with SAME.
    expect(infer(conv1d, [x, float32(3, 2, 4)], { padding: 'VALID', dilation: 3 }).errors).toEqual([{ code: 'GC509', path: 'inputs/1' }]);
    expect(infer(conv1d, [x, float32(3, 2, 4)], { padding: 'SAME', dilation: 3 }).type?.shape).toEqual([null, 6, 4]);
    expect(infer(conv1d, [{ dtype: 'int32', shape: [null, 6, 2] }, float32(3, 2, 4)], { padding: 'SAME' }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
  });
});

describe('avg_pool', () => {
  it('has max_pool shape rule: output shapes match tf.avgPool', () => {
    for (const size of [5, 8]) {
      for (const k of [1, 2, 3]) {
        for (const s of [1, 2]) {
          for (const padding of ['SAME', 'VALID'] as const) {
            const { type } = infer(avgPool, [float32(null, size, size + 1, 3)], { ksize: [1, k, k, 1], strides: [1, s, s, 1], padding });
            const actual = tf.tidy(() => tf.avgPool(tf.zeros([2, size, size + 1, 3]) as tf.Tensor4D, k, s, padding === 'SAME' ? 'same' : 'valid').shape);
            expect(type!.shape).toEqual([null, ...actual.slice(1)]);
          }
        }
      }
    }
  });

  it('reports a window larger than the input (GC509) and a window over the channels (GC512)', () => {
    expect(infer(avgPool, [float32(null, 4, 4, 2)], { ksize: [1, 5, 2, 1], strides: [1, 1, 1, 1], padding: 'VALID' }).errors).toEqual([{ code: 'GC509', path: 'ksize' }]);
    expect(infer(avgPool, [float32(null, 4, 4, 2)], { ksize: [1, 2, 2, 2], strides: [1, 1, 1, 1], padding: 'VALID' }).errors).toEqual([{ code: 'GC512', path: 'ksize' }]);
  });
});

describe('global pools', () => {
  for (const op of [globalAveragePool, globalMaxPool]) {
    it(`${op.name}: NWC and NHWC, with and without keepdims`, () => {
      expect(infer(op, [float32(null, 7, 3)], {}).type?.shape).toEqual([null, 3]);
      expect(infer(op, [float32(null, 5, 7, 3)], {}).type?.shape).toEqual([null, 3]);
      expect(infer(op, [float32(null, 7, 3)], { keepdims: true }).type?.shape).toEqual([null, 1, 3]);
      expect(infer(op, [float32(null, 5, 7, 3)], { keepdims: true }).type?.shape).toEqual([null, 1, 1, 3]);
    });

    it(`${op.name}: a rank other than 3 or 4 is GC503; unknown channels GC507`, () => {
      expect(infer(op, [float32(null, 3)], {}).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
      expect(infer(op, [float32(null, 2, 2, 2, 3)], {}).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
      expect(infer(op, [float32(null, 4, null)], {}).errors).toEqual([{ code: 'GC507', path: 'inputs/0' }]);
    });
  }
});

describe('batch_norm', () => {
  it('keeps the input type, for any channel axis but the batch', () => {
    expect(infer(batchNorm, [float32(null, 6, 6, 8)], {}).type).toEqual(float32(null, 6, 6, 8));
    expect(infer(batchNorm, [float32(null, 8)], {}).type).toEqual(float32(null, 8));
    expect(infer(batchNorm, [float32(null, 8, 5)], { axis: 1 }).type).toEqual(float32(null, 8, 5));
  });

  it('diagnostics: dtype, rank, axis out of range, the batch axis, unknown channels', () => {
    expect(infer(batchNorm, [{ dtype: 'int32', shape: [null, 4] }], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(batchNorm, [float32(null)], {}).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
    expect(infer(batchNorm, [float32(null, 4)], { axis: 2 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
    expect(infer(batchNorm, [float32(null, 4)], { axis: -2 }).errors).toEqual([{ code: 'GC550', path: 'axis' }]);
    expect(infer(batchNorm, [float32(null, 4, null)], {}).errors).toEqual([{ code: 'GC507', path: 'inputs/0' }]);
  });

  it('a training placeholder must be a bool scalar (GC551)', () => {
    const flag = { is_training: { dtype: 'bool', shape: [] }, keep: { dtype: 'float32', shape: [] }, mask: { dtype: 'bool', shape: [null] } } as const;
    expect(infer(batchNorm, [float32(null, 4)], { training: 'is_training' }, flag).errors).toEqual([]);
    expect(infer(batchNorm, [float32(null, 4)], { training: 'keep' }, flag).errors).toEqual([{ code: 'GC551', path: 'training' }]);
    expect(infer(batchNorm, [float32(null, 4)], { training: 'mask' }, flag).errors).toEqual([{ code: 'GC551', path: 'training' }]);
  });

  it('declares gamma and beta as parameters and the moving statistics as state', () => {
    const ctx = { node: 'bn', attrs: {}, inputTypes: [float32(null, 6, 6, 8)], type: float32(null, 6, 6, 8) };
    expect(batchNorm.variables!(ctx)).toMatchObject({ parameters: 16, state: 16 });
    expect(batchNorm.variables!({ ...ctx, attrs: { center: false, scale: false } })).toMatchObject({ parameters: 0, state: 16 });
    expect(batchNorm.variables!(ctx).create).toContain("init.state<tf.Rank.R1>('bn/moving_variance', [8], { kind: 'constant', value: 1 })");
  });
});
