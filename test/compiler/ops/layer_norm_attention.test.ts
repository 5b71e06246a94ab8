import { describe, expect, it } from 'vitest';
import { layerNorm } from '../../../src/compiler/ops/layer_norm.js';
import { multiHeadAttention } from '../../../src/compiler/ops/multi_head_attention.js';
import type { LowerContext } from '../../../src/compiler/ops/op.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import { float32, infer } from './helpers.js';

const bool = (...shape: (number | null)[]): TensorType => ({ dtype: 'bool', shape });

function lowerContext(inputs: readonly string[], inputTypes: readonly TensorType[], type: TensorType, attrs: Record<string, unknown>): LowerContext {
  return { node: 'y', attrs: attrs as LowerContext['attrs'], inputs, inputTypes, type, variables: 'vars.y', reference: (name) => `feeds.${name}` };
}

describe('layer_norm', () => {
  it('keeps the input type; the axis may be any but the batch', () => {
    expect(infer(layerNorm, [float32(null, 28, 64)], {}).type).toEqual(float32(null, 28, 64));
    expect(infer(layerNorm, [float32(null, 28, 64)], { axis: 1 }).type).toEqual(float32(null, 28, 64));
    expect(infer(layerNorm, [float32(null, 10)], { epsilon: 0.001 }).type).toEqual(float32(null, 10));
  });

  it('rank 1 is GC503, an axis outside the rank GC505, the batch axis GC545, int32 GC501', () => {
    expect(infer(layerNorm, [float32(null)], {}).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
    expect(infer(layerNorm, [float32(null, 3)], { axis: 2 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
    expect(infer(layerNorm, [float32(null, 3)], { axis: -2 }).errors).toEqual([{ code: 'GC545', path: 'axis' }]);
    expect(infer(layerNorm, [{ dtype: 'int32', shape: [null, 3] }], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
  });

  it('gamma (ones) and beta (zeros) are shaped like the axis, broadcast over the axes after it; center and scale drop them', () => {
    const ctx = { node: 'ln', attrs: {}, inputTypes: [float32(null, 28, 64)], type: float32(null, 28, 64) };
    expect(layerNorm.variables!(ctx)).toEqual({
      tsType: 'nn.LayerNormWeights',
      create: "{ gamma: init.variable<tf.Rank.R1>('ln/gamma', [64], { kind: 'constant', value: 1 }), beta: init.variable<tf.Rank.R1>('ln/beta', [64], { kind: 'zeros' }) }",
      parameters: 128,
    });
    expect(layerNorm.variables!({ ...ctx, attrs: { axis: 1 } }).create).toContain("'ln/gamma', [28, 1]");
    expect(layerNorm.variables!({ ...ctx, attrs: { center: false } })).toMatchObject({ parameters: 64, create: expect.not.stringContaining('beta') });
    expect(layerNorm.variables!({ ...ctx, attrs: { center: false, scale: false } })).toMatchObject({ parameters: 0, create: '{}' });
    expect(layerNorm.lower(lowerContext(['h'], ctx.inputTypes, ctx.type, {}))).toBe('nn.layerNorm(h, vars.y, 2, 0.00001)');
    expect(layerNorm.lower(lowerContext(['h'], ctx.inputTypes, ctx.type, { axis: -2, epsilon: 0.001 }))).toBe('nn.layerNorm(h, vars.y, 1, 0.001)');
  });
});

describe('multi_head_attention', () => {
  const x = float32(null, 28, 64);
  it('gives [batch, Tq, output_dim], output_dim defaulting to the query\'s features', () => {
    expect(infer(multiHeadAttention, [x, x], { num_heads: 4 }).type).toEqual(float32(null, 28, 64));
    expect(infer(multiHeadAttention, [float32(null, 5, 8), float32(null, 7, 6)], { num_heads: 2, key_dim: 3, output_dim: 10 }).type).toEqual(float32(null, 5, 10));
    expect(infer(multiHeadAttention, [float32(null, 5, 8), float32(null, 7, 6), float32(null, 7, 4)], { num_heads: 3 }).errors).toEqual([{ code: 'GC542', path: 'num_heads' }]);
  });

  it('wrong ranks are GC503, int32 GC501, a key whose length differs from the value\'s GC540, heads that do not divide the features GC542', () => {
    expect(infer(multiHeadAttention, [float32(null, 64), x], { num_heads: 4 }).errors).toEqual([{ code: 'GC503', path: 'inputs/0' }]);
    expect(infer(multiHeadAttention, [x, float32(null, 2, 28, 64)], { num_heads: 4 }).errors).toEqual([{ code: 'GC503', path: 'inputs/1' }]);
    expect(infer(multiHeadAttention, [x, { dtype: 'int32', shape: [null, 28, 64] }], { num_heads: 4 }).errors).toEqual([{ code: 'GC501', path: 'inputs/1' }]);
    expect(infer(multiHeadAttention, [x, float32(null, 10, 64), float32(null, 12, 64)], { num_heads: 4 }).errors).toEqual([{ code: 'GC540', path: 'inputs/2' }]);
    expect(infer(multiHeadAttention, [x, x], { num_heads: 5 }).errors).toEqual([{ code: 'GC542', path: 'num_heads' }]);
    expect(infer(multiHeadAttention, [x, x], { num_heads: 5, key_dim: 8 }).type).toEqual(x);
  });

  it('a mask is bool or float32 and broadcasts to [batch, Tq, Tk] (GC541); a keep_prob is a float32 scalar', () => {
    const q = float32(null, 5, 8);
    const kv = float32(null, 7, 8);
    const types = { full: bool(null, 5, 7), keys: bool(null, 1, 7), shared: float32(5, 7), row: float32(7), wrong: bool(null, 7, 5), deep: bool(null, 1, 5, 7), ints: { dtype: 'int32', shape: [null, 5, 7] } as TensorType, keep: float32(), bad_keep: float32(3) };
    for (const mask of ['full', 'keys', 'shared', 'row']) expect(infer(multiHeadAttention, [q, kv], { num_heads: 2, mask }, types).errors).toEqual([]);
    expect(infer(multiHeadAttention, [q, kv], { num_heads: 2, mask: 'wrong' }, types).errors).toEqual([{ code: 'GC541', path: 'mask' }]);
    expect(infer(multiHeadAttention, [q, kv], { num_heads: 2, mask: 'deep' }, types).errors).toEqual([{ code: 'GC541', path: 'mask' }]);
    expect(infer(multiHeadAttention, [q, kv], { num_heads: 2, mask: 'ints' }, types).errors).toEqual([{ code: 'GC501', path: 'mask' }]);
    expect(infer(multiHeadAttention, [q, kv], { num_heads: 2, keep_prob: 'bad_keep' }, types).errors).toEqual([{ code: 'GC501', path: 'keep_prob' }]);
    expect(multiHeadAttention.attributeReferences!({ mask: 'full', keep_prob: 'keep' })).toEqual([{ path: 'mask', name: 'full' }, { path: 'keep_prob', name: 'keep' }]);
  });

  it('owns four projections named as Keras does; their sizes follow heads, key_dim and value_dim', () => {
    const ctx = { node: 'att', attrs: { num_heads: 2, key_dim: 3, value_dim: 5, output_dim: 4 }, inputTypes: [float32(null, 6, 8), float32(null, 7, 9), float32(null, 7, 10)], type: float32(null, 6, 4) };
    const v = multiHeadAttention.variables!(ctx);
    expect(v.tsType).toBe('nn.AttentionWeights');
    for (const part of ["'att/query/kernel', [8, 6]", "'att/query/bias', [6]", "'att/key/kernel', [10, 6]", "'att/value/kernel', [9, 10]", "'att/output/kernel', [10, 4]", "'att/output/bias', [4]"]) expect(v.create).toContain(part);
    expect(v.parameters).toBe(8 * 6 + 6 + 10 * 6 + 6 + 9 * 10 + 10 + 10 * 4 + 4);
    expect(multiHeadAttention.variables!({ ...ctx, attrs: { ...ctx.attrs, use_bias: false } })).toMatchObject({ parameters: 8 * 6 + 10 * 6 + 9 * 10 + 10 * 4, create: expect.not.stringContaining('bias') });
  });

  it('lowers to one nn.multiHeadAttention call naming its inputs, mask and keep probability', () => {
    expect(multiHeadAttention.lower(lowerContext(['h', 'h'], [x, x], x, { num_heads: 4 }))).toBe(
      'nn.multiHeadAttention({ query: h, value: h }, vars.y, { heads: 4, keyDim: 16, valueDim: 16, keepProb: 1 }, ctx.random, ctx.exampleOffset)',
    );
    expect(multiHeadAttention.lower(lowerContext(['q', 'v', 'k'], [x, x, x], x, { num_heads: 2, key_dim: 8, value_dim: 4, mask: 'm', keep_prob: 'keep' }))).toBe(
      'nn.multiHeadAttention({ query: q, value: v, key: k, mask: feeds.m }, vars.y, { heads: 2, keyDim: 8, valueDim: 4, keepProb: feeds.keep }, ctx.random, ctx.exampleOffset)',
    );
  });
});
