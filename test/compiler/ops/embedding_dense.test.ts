import { describe, expect, it } from 'vitest';
import { dense } from '../../../src/compiler/ops/dense.js';
import { embedding } from '../../../src/compiler/ops/embedding.js';
import type { LowerContext } from '../../../src/compiler/ops/op.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import { float32, infer } from './helpers.js';

const int32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'int32', shape });

function lowerContext(inputTypes: readonly TensorType[], type: TensorType, attrs: Record<string, unknown>): LowerContext {
  return { node: 'y', attrs: attrs as LowerContext['attrs'], inputs: ['x'], inputTypes, type, variables: 'vars.y', reference: (name) => `feeds.${name}` };
}

describe('embedding', () => {
  it('appends units to the ids\' shape, whatever their rank; output_dim is units\' Keras name', () => {
    expect(infer(embedding, [int32(null, 20)], { vocab_size: 100, units: 8 }).type).toEqual(float32(null, 20, 8));
    expect(infer(embedding, [int32(null)], { vocab_size: 100, output_dim: 4 }).type).toEqual(float32(null, 4));
    expect(infer(embedding, [int32(null, 3, 5)], { vocab_size: 7, units: 2 }).type).toEqual(float32(null, 3, 5, 2));
    expect(infer(embedding, [int32()], { vocab_size: 7, units: 2 }).type).toEqual(float32(2));
  });

  it('float ids are GC543 at the input; neither or both of units and output_dim GC544', () => {
    expect(infer(embedding, [float32(null, 20)], { vocab_size: 100, units: 8 }).errors).toEqual([{ code: 'GC543', path: 'inputs/0' }]);
    expect(infer(embedding, [{ dtype: 'bool', shape: [null] }], { vocab_size: 100, units: 8 }).errors).toEqual([{ code: 'GC543', path: 'inputs/0' }]);
    expect(infer(embedding, [int32(null)], { vocab_size: 100 }).errors).toEqual([{ code: 'GC544', path: undefined }]);
    expect(infer(embedding, [int32(null)], { vocab_size: 100, units: 3, output_dim: 3 }).errors).toEqual([{ code: 'GC544', path: undefined }]);
  });

  it('owns one [vocab_size, units] table, uniform in ±0.05 unless init says otherwise', () => {
    const ctx = { node: 'emb', attrs: { vocab_size: 50, units: 6 }, inputTypes: [int32(null, 9)], type: float32(null, 9, 6) };
    expect(embedding.variables!(ctx)).toEqual({
      tsType: 'tf.Variable<tf.Rank.R2>',
      create: "init.variable<tf.Rank.R2>('emb/embeddings', [50, 6], { kind: 'random_uniform', minval: -0.05, maxval: 0.05 })",
      parameters: 300,
    });
    expect(embedding.variables!({ ...ctx, attrs: { ...ctx.attrs, init: { random_normal: { stddev: 1 } } } }).create).toContain("{ kind: 'random_normal', mean: 0, stddev: 1 }");
    expect(embedding.lower(lowerContext([int32(null, 9)], float32(null, 9, 6), ctx.attrs))).toBe('nn.embedding<tf.Tensor3D>(x, vars.y)');
  });
});

describe('dense', () => {
  it('maps the last axis of any rank from 2 up, as Keras Dense', () => {
    expect(infer(dense, [float32(null, 784)], { units: 10 }).type).toEqual(float32(null, 10));
    expect(infer(dense, [float32(null, 28, 28)], { units: 64 }).type).toEqual(float32(null, 28, 64));
    expect(infer(dense, [float32(null, 4, 5, 6)], { units: 3 }).type).toEqual(float32(null, 4, 5, 3));
  });

  it('rank 1 is GC503; an unknown last dimension GC507; int32 GC501', () => {
    expect(infer(dense, [float32(null)], { units: 10 }).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
    expect(infer(dense, [float32(null, null)], { units: 10 }).errors).toEqual([{ code: 'GC507', path: 'inputs/0' }]);
    expect(infer(dense, [int32(null, 3)], { units: 10 }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
  });

  it('the kernel is [last dimension, units]; a rank-2 call is written as before, a higher rank names its type', () => {
    const ctx = { node: 'y', attrs: { units: 16 }, inputTypes: [float32(null, 28, 32)], type: float32(null, 28, 16) };
    expect(dense.variables!(ctx).parameters).toBe(32 * 16 + 16);
    expect(dense.variables!(ctx).create).toContain("'y/kernel', [32, 16]");
    expect(dense.lower(lowerContext([float32(null, 32)], float32(null, 16), { units: 16, activation: 'relu' }))).toBe("nn.dense(x, vars.y, 'relu')");
    expect(dense.lower(lowerContext(ctx.inputTypes, ctx.type, { units: 16 }))).toBe("nn.dense<tf.Tensor3D>(x, vars.y, 'linear')");
  });
});
