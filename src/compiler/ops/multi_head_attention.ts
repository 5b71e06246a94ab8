/**
 * Multi-head attention, as Keras MultiHeadAttention and torch.nn.MultiheadAttention
 * (batch_first) compute it; the runtime's nn.multiHeadAttention is the composition
 * of tfjs ops.
 *
 * Variables, and their PyTorch names (E = num_heads·key_dim when key_dim =
 * value_dim and the query, key and value all have E features, as torch requires):
 *   <node>/query/kernel [query features, heads·key_dim]   in_proj_weight[0:E].T
 *   <node>/key/kernel   [key features, heads·key_dim]     in_proj_weight[E:2E].T
 *   <node>/value/kernel [value features, heads·value_dim] in_proj_weight[2E:3E].T
 *   <node>/query/bias, key/bias, value/bias               in_proj_bias[0:E], [E:2E], [2E:3E]
 *   <node>/output/kernel [heads·value_dim, output_dim]    out_proj.weight.T
 *   <node>/output/bias   [output_dim]                     out_proj.bias
 * (q_proj_weight, k_proj_weight, v_proj_weight when torch's kdim/vdim differ.)
 * Keras's kernels are these reshaped: query/kernel [features, heads, key_dim],
 * attention_output/kernel [heads, value_dim, output_dim]. Head h owns columns
 * [h·key_dim, (h+1)·key_dim) of the query and key kernels in all three.
 */
import type { Dim, TensorType } from '../types/tensor.js';
import { literal } from '../types/typescript.js';
import type { Attrs, InferContext, OpDefinition, VariableContext } from './op.js';
import { initializerLiteral } from './shared/initializer.js';
import { checkKeepProb, keepProbExpression, keepProbReferences, keepProbSchema } from './shared/keep_prob.js';

const OP = 'multi_head_attention';
const ROLES = ['query', 'value', 'key'] as const;

interface Sizes {
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputDim: number;
  readonly queryFeatures: number;
  readonly keyFeatures: number;
  readonly valueFeatures: number;
}

function sizes(attrs: Attrs, inputs: readonly TensorType[]): Sizes {
  const features = (t: TensorType): number => t.shape[2] as number;
  const [query, value, key = value] = inputs as [TensorType, TensorType, TensorType?];
  const heads = attrs['num_heads'] as number;
  const keyDim = (attrs['key_dim'] as number | undefined) ?? features(query) / heads;
  return {
    heads,
    keyDim,
    valueDim: (attrs['value_dim'] as number | undefined) ?? keyDim,
    outputDim: (attrs['output_dim'] as number | undefined) ?? features(query),
    queryFeatures: features(query),
    keyFeatures: features(key!),
    valueFeatures: features(value),
  };
}

/** Whether a mask shape broadcasts to [batch, Tq, Tk] without enlarging it (an unknown batch takes any size). */
function maskFits(mask: readonly Dim[], target: readonly Dim[]): boolean {
  if (mask.length > target.length) return false;
  return mask.every((d, i) => {
    const t = target[target.length - mask.length + i];
    return d === 1 || d === null || t === null || d === t;
  });
}

function checkMask(ctx: InferContext, target: readonly Dim[]): boolean {
  const name = ctx.attrs['mask'] as string | undefined;
  if (name === undefined) return true;
  const type = ctx.typeOf(name);
  if (!type) return true;
  if (type.dtype !== 'bool' && type.dtype !== 'float32') {
    ctx.error('GC501', { op: OP, kind: 'wrong_dtype', role: 'input', expected: ['bool', 'float32'], input: name, actual: type.dtype }, 'mask');
    return false;
  }
  if (!maskFits(type.shape, target)) {
    ctx.error('GC541', { op: OP, mask: name, shape: type.shape, expected: target }, 'mask');
    return false;
  }
  return true;
}

export const multiHeadAttention: OpDefinition = {
  name: OP,
  summary: 'multi-head scaled dot-product attention: softmax(Q·Kᵀ/√key_dim + mask)·V per head over learned projections, the heads concatenated and projected (Keras MultiHeadAttention, torch.nn.MultiheadAttention)',
  inputs: { min: 2, max: 3, description: 'query [batch, Tq, features], value [batch, Tk, features] and optionally key [batch, Tk, features] (the value when absent); [x, x] is self-attention' },
  attributes: (b) => ({
    num_heads: b.integer({ description: 'how many attention heads', minimum: 1, examples: [4, '$heads'] }),
    key_dim: b.integer({ description: 'the size of each head\'s query and key (default: the query\'s features / num_heads, as torch\'s embed_dim / num_heads)', minimum: 1, examples: [16] }),
    value_dim: b.integer({ description: 'the size of each head\'s value (default key_dim)', minimum: 1, examples: [16] }),
    output_dim: b.integer({ description: 'the output\'s features (default: the query\'s)', minimum: 1, examples: [64] }),
    use_bias: b.boolean({ description: 'add biases to the four projections', default: true }),
    mask: b.reference({ description: 'a bool or float32 placeholder or node, [batch, Tq, Tk] or broadcastable to it: 1/true where a query may attend to a key (Keras\'s convention; torch\'s bool attn_mask is the opposite)', examples: ['padding_mask'] }),
    keep_prob: keepProbSchema(b, 'probability of keeping each attention weight (dropout after the softmax; default 1, none)'),
    kernel_init: b.initializer({ description: 'the projections\' kernels\' initializer (default glorot_uniform)', examples: ['glorot_uniform'] }),
    bias_init: b.initializer({ description: 'the biases\' initializer (default zeros)', examples: ['zeros'] }),
  }),
  requiredAttributes: ['num_heads'],
  attributeReferences: (attrs) => [
    ...(typeof attrs['mask'] === 'string' ? [{ path: 'mask', name: attrs['mask'] }] : []),
    ...keepProbReferences(attrs['keep_prob'], 'keep_prob'),
  ],
  infer: (ctx) => {
    if (ctx.inputs.length < 2) return undefined;
    for (const [i, x] of ctx.inputs.entries()) {
      if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: OP, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype }, `inputs/${i}`);
      if (x.type.shape.length !== 3) return ctx.error('GC503', { op: OP, input: x.name, rank: x.type.shape.length, expected: `3 (the ${ROLES[i]}: [batch, length, features])` }, `inputs/${i}`);
      if (x.type.shape[2] === null) return ctx.error('GC507', { op: OP, kind: 'unknown_dims', dims: 'features', input: x.name }, `inputs/${i}`);
    }
    const [query, value, key = value] = ctx.inputs as [typeof ctx.inputs[0], typeof ctx.inputs[0], typeof ctx.inputs[0]?];
    const differ = (a: Dim | undefined, b: Dim | undefined): boolean => a !== null && b !== null && a !== b;
    if (differ(key!.type.shape[0], value.type.shape[0]) || differ(key!.type.shape[1], value.type.shape[1])) {
      return ctx.error('GC540', { op: OP, key: key!.name, keyShape: key!.type.shape, value: value.name, valueShape: value.type.shape }, 'inputs/2');
    }
    const heads = ctx.attrs['num_heads'] as number;
    const features = query.type.shape[2] as number;
    if (ctx.attrs['key_dim'] === undefined && features % heads !== 0) return ctx.error('GC542', { op: OP, input: query.name, features, heads }, 'num_heads');
    const batch = query.type.shape[0] ?? value.type.shape[0] ?? null;
    if (!checkMask(ctx, [batch, query.type.shape[1]!, value.type.shape[1]!])) return undefined;
    if (!checkKeepProb(ctx, OP, 'keep_prob', ctx.attrs['keep_prob'], 'keep_prob')) return undefined;
    return { dtype: 'float32', shape: [query.type.shape[0]!, query.type.shape[1]!, sizes(ctx.attrs, ctx.inputs.map((i) => i.type)).outputDim] };
  },
  variables: (ctx) => {
    const s = sizes(ctx.attrs, ctx.inputTypes);
    const bias = ctx.attrs['use_bias'] !== false;
    const kernelInit = initializerLiteral(ctx.attrs['kernel_init'], 'glorot_uniform');
    const biasInit = initializerLiteral(ctx.attrs['bias_init'], 'zeros');
    const projection = (name: string, inputs: number, units: number): string => {
      const kernel = `kernel: init.variable<tf.Rank.R2>(${literal(`${ctx.node}/${name}/kernel`)}, [${inputs}, ${units}], ${kernelInit})`;
      return `${name}: { ${kernel}${bias ? `, bias: init.variable<tf.Rank.R1>(${literal(`${ctx.node}/${name}/bias`)}, [${units}], ${biasInit})` : ''} }`;
    };
    const shapes: [string, number, number][] = [
      ['query', s.queryFeatures, s.heads * s.keyDim],
      ['key', s.keyFeatures, s.heads * s.keyDim],
      ['value', s.valueFeatures, s.heads * s.valueDim],
      ['output', s.heads * s.valueDim, s.outputDim],
    ];
    return {
      tsType: 'nn.AttentionWeights',
      create: `{ ${shapes.map(([name, inputs, units]) => projection(name, inputs, units)).join(', ')} }`,
      parameters: shapes.reduce((n, [, inputs, units]) => n + inputs * units + (bias ? units : 0), 0),
    };
  },
  activationsPerExample: (ctx: VariableContext) => {
    const s = sizes(ctx.attrs, ctx.inputTypes);
    const tq = ctx.inputTypes[0]!.shape[1] as number;
    const tk = ctx.inputTypes[1]!.shape[1] as number;
    // The projected query, key and value, the scores and their softmax, the heads' context, the output.
    return s.heads * (tq * s.keyDim + tk * s.keyDim + tk * s.valueDim + 2 * tq * tk + tq * s.valueDim) + tq * s.outputDim;
  },
  lower: (ctx) => {
    const s = sizes(ctx.attrs, ctx.inputTypes);
    const [query, value, key] = ctx.inputs;
    const mask = ctx.attrs['mask'] as string | undefined;
    const inputs = [`query: ${query}`, `value: ${value}`, ...(key !== undefined ? [`key: ${key}`] : []), ...(mask !== undefined ? [`mask: ${ctx.reference(mask)}`] : [])];
    const options = `{ heads: ${s.heads}, keyDim: ${s.keyDim}, valueDim: ${s.valueDim}, keepProb: ${keepProbExpression(ctx, ctx.attrs['keep_prob'])} }`;
    return `nn.multiHeadAttention({ ${inputs.join(', ')} }, ${ctx.variables}, ${options}, ctx.random, ctx.exampleOffset)`;
  },
  runtime: ['nn'],
};
