import { describe, expect, it } from 'vitest';
import { argmin } from '../../../src/compiler/ops/argmin.js';
import { logSoftmax } from '../../../src/compiler/ops/log_softmax.js';
import { logsumexp } from '../../../src/compiler/ops/logsumexp.js';
import { reduceMax } from '../../../src/compiler/ops/reduce_max.js';
import { reduceMin } from '../../../src/compiler/ops/reduce_min.js';
import { softmax } from '../../../src/compiler/ops/softmax.js';
import type { LowerContext, OpDefinition } from '../../../src/compiler/ops/op.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import { float32, infer } from './helpers.js';

const int32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'int32', shape });

function lower(op: OpDefinition, input: TensorType, attrs: Record<string, unknown>): string {
  const type = infer(op, [input], attrs as never).type!;
  const ctx: LowerContext = { node: 'y', attrs: attrs as never, inputs: ['x'], inputTypes: [input], type, variables: 'vars.y', reference: (n) => n };
  return op.lower(ctx);
}

describe('reduce_max, reduce_min, logsumexp and argmin', () => {
  it('reduce an axis, keep it with keepdims, or reduce everything', () => {
    expect(infer(reduceMax, [float32(null, 5, 3)], { axis: 1 }).type).toEqual(float32(null, 3));
    expect(infer(reduceMin, [int32(null, 5)], { axis: -1, keepdims: true }).type).toEqual(int32(null, 1));
    expect(infer(logsumexp, [float32(null, 5)], {}).type).toEqual(float32());
    expect(infer(argmin, [float32(null, 5, 3)], { axis: 2 }).type).toEqual(int32(null, 5));
  });

  it('report an axis out of range (GC505), logsumexp of int32 and argmin of bool (GC501)', () => {
    expect(infer(reduceMax, [float32(null, 5)], { axis: 2 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
    expect(infer(logsumexp, [int32(null, 5)], { axis: 1 }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(argmin, [{ dtype: 'bool', shape: [null, 5] }], { axis: 1 }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(argmin, [float32(null, 5)], { axis: -3 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
  });

  it('lower to tfjs reductions', () => {
    expect(lower(reduceMax, float32(null, 5, 3), { axis: 1 })).toBe('tf.max<tf.Tensor2D>(x, 1)');
    expect(lower(logsumexp, float32(null, 5), { axis: 1, keepdims: true })).toBe('tf.logSumExp<tf.Tensor2D>(x, 1, true)');
    expect(lower(argmin, float32(null, 5), { axis: 1 })).toBe('tf.argMin<tf.Tensor1D>(x, 1)');
  });
});

describe('softmax and log_softmax over any axis', () => {
  it('keep the type; an axis out of range is GC505; int32 is GC501', () => {
    expect(infer(softmax, [float32(null, 5, 3)], { axis: 1 }).type).toEqual(float32(null, 5, 3));
    expect(infer(logSoftmax, [float32(null, 5)], {}).type).toEqual(float32(null, 5));
    expect(infer(softmax, [float32(null, 5)], { axis: 2 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
    expect(infer(logSoftmax, [int32(null, 5)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
  });

  it("use tfjs's kernels over the last axis (written as before), logsumexp over another", () => {
    expect(lower(softmax, float32(null, 10), {})).toBe('tf.softmax<tf.Tensor2D>(x)');
    expect(lower(softmax, float32(null, 10), { axis: 1 })).toBe('tf.softmax<tf.Tensor2D>(x)');
    expect(lower(softmax, float32(null, 5, 3), { axis: 1 })).toBe('tf.exp<tf.Tensor3D>(tf.sub<tf.Tensor3D>(x, tf.logSumExp(x, 1, true)))');
    expect(lower(logSoftmax, float32(null, 10), { axis: -1 })).toBe('tf.logSoftmax<tf.Tensor2D>(x)');
    expect(lower(logSoftmax, float32(null, 5, 3), { axis: 0 })).toBe('tf.sub<tf.Tensor3D>(x, tf.logSumExp(x, 0, true))');
  });
});
