/**
 * What the fused attention kernel's tests share: small attention problems
 * (odd sizes, cross-attention with separate key and value, masks of every
 * rank incl. a fully masked row, dropout on the weights) and their output and
 * gradients through nn.multiHeadAttention on the current backend, fused or
 * as the composition of tfjs ops (GRAPHC_ATTENTION=composition).
 */
import { ATTENTION_ENV } from '../../../src/runtime/kernels/attention.js';
import * as nn from '../../../src/runtime/nn.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { tf } from '../../../src/runtime/tf.js';
import { randomValues } from '../rnn/helpers.js';

export interface AttentionCase {
  readonly name: string;
  readonly batch: number;
  readonly tq: number;
  readonly tk: number;
  /** Features of the query, value and key (the key is the value when keyFeatures is absent). */
  readonly queryFeatures: number;
  readonly valueFeatures: number;
  readonly keyFeatures?: number;
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  /** The keep mask's shape and values: a float32 input (with a gradient too) unless bool. */
  readonly mask?: { readonly shape: readonly number[]; readonly values: readonly number[]; readonly bool?: boolean };
  readonly keepProb?: number;
  readonly exampleOffset?: number;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A keep mask of `shape` with about a quarter masked, and row 0 of example 0 fully masked when `fullRow`. */
function maskValues(shape: readonly number[], tk: number, fullRow: boolean, seed: number): number[] {
  const values = randomValues(sizeOf(shape), seed).map((x) => (x < -0.5 ? 0 : 1));
  if (fullRow) values.fill(0, 0, tk);
  return values;
}

export const ATTENTION_CASES: readonly AttentionCase[] = [
  { name: 'self-attention, 2 heads of 4, [2, 5, 8]', batch: 2, tq: 5, tk: 5, queryFeatures: 8, valueFeatures: 8, heads: 2, keyDim: 4, valueDim: 4 },
  {
    name: 'cross-attention with a separate key, odd sizes: query [3, 7, 5], value [3, 9, 6], key [3, 9, 7]; 3 heads, key_dim 5, value_dim 3',
    batch: 3, tq: 7, tk: 9, queryFeatures: 5, valueFeatures: 6, keyFeatures: 7, heads: 3, keyDim: 5, valueDim: 3,
  },
  {
    name: 'a [batch, Tq, Tk] mask with a fully masked row, 2 heads, query [2, 3, 4], value [2, 6, 4]',
    batch: 2, tq: 3, tk: 6, queryFeatures: 4, valueFeatures: 4, heads: 2, keyDim: 3, valueDim: 2,
    mask: { shape: [2, 3, 6], values: maskValues([2, 3, 6], 6, true, 21) },
  },
  {
    name: 'a [Tk] mask broadcast over batch and queries, 1 head of 7, [3, 4, 7]',
    batch: 3, tq: 4, tk: 4, queryFeatures: 7, valueFeatures: 7, heads: 1, keyDim: 7, valueDim: 7,
    mask: { shape: [4], values: [1, 0, 1, 1] },
  },
  {
    name: 'dropout on the weights (keep 0.7, the second part of a split batch) and a bool [1, Tq, Tk] mask, 4 heads, [2, 11, 12]',
    batch: 2, tq: 11, tk: 11, queryFeatures: 12, valueFeatures: 12, heads: 4, keyDim: 3, valueDim: 3,
    mask: { shape: [1, 11, 11], values: maskValues([1, 11, 11], 11, false, 5), bool: true },
    keepProb: 0.7, exampleOffset: 2,
  },
];

export interface AttentionResult {
  readonly output: Float32Array;
  /** The gradients of sum(output · cotangent) w.r.t. query, value, key (when separate), a float32 mask and the query kernel. */
  readonly gradients: Readonly<Record<string, Float32Array>>;
}

/** The output and gradients of nn.multiHeadAttention on the current backend, fused unless `composition`. */
export async function attentionAndGradients(c: AttentionCase, composition: boolean): Promise<AttentionResult> {
  const previous = process.env[ATTENTION_ENV];
  if (composition) process.env[ATTENTION_ENV] = 'composition';
  else delete process.env[ATTENTION_ENV];
  let results: tf.Tensor[];
  let names: string[];
  try {
    [names, results] = tf.tidy(() => {
      const tensor = (shape: number[], seed: number, scale = 1): tf.Tensor => tf.tensor(randomValues(sizeOf(shape), seed, scale), shape);
      const query = tensor([c.batch, c.tq, c.queryFeatures], 1, 1.5) as tf.Tensor3D;
      const value = tensor([c.batch, c.tk, c.valueFeatures], 2, 1.5) as tf.Tensor3D;
      const key = c.keyFeatures === undefined ? undefined : (tensor([c.batch, c.tk, c.keyFeatures], 3, 1.5) as tf.Tensor3D);
      const mask = c.mask && tf.tensor(c.mask.values as number[], c.mask.shape as number[], c.mask.bool === true ? 'bool' : 'float32');
      const dense = (inputs: number, units: number, seed: number): nn.DenseWeights =>
        ({ kernel: tensor([inputs, units], seed, 0.6), bias: tensor([units], seed + 1, 0.3) }) as unknown as nn.DenseWeights;
      const weights: nn.AttentionWeights = {
        query: dense(c.queryFeatures, c.heads * c.keyDim, 10),
        key: dense(c.keyFeatures ?? c.valueFeatures, c.heads * c.keyDim, 12),
        value: dense(c.valueFeatures, c.heads * c.valueDim, 14),
        output: dense(c.heads * c.valueDim, 6, 16),
      };
      const options = { heads: c.heads, keyDim: c.keyDim, valueDim: c.valueDim, keepProb: c.keepProb ?? 1 };
      const cotangent = tensor([c.batch, c.tq, 6], 9);
      const named: Array<[string, tf.Tensor]> = [['query', query], ['value', value]];
      if (key) named.push(['key', key]);
      if (mask && mask.dtype === 'float32') named.push(['mask', mask]);
      named.push(['query kernel', weights.query.kernel]);
      const run = (xs: tf.Tensor[]): tf.Tensor3D => {
        const x = Object.fromEntries(named.map(([name], i) => [name, xs[i]!]));
        const w = { ...weights, query: { kernel: x['query kernel'], bias: weights.query.bias } } as nn.AttentionWeights;
        const inputs: nn.AttentionInputs = { query: x['query'] as tf.Tensor3D, value: x['value'] as tf.Tensor3D, ...(key ? { key: x['key'] as tf.Tensor3D } : {}), ...(mask ? { mask: x['mask'] ?? mask } : {}) };
        // The same stream for both paths: the dropout's seed is its first draw.
        return nn.multiHeadAttention(inputs, w, options, new RandomStream(42, 'attention'), c.exampleOffset ?? 0);
      };
      const tensors = named.map(([, t]) => t);
      const output = run(tensors);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(run(xs), cotangent)))(tensors);
      return [named.map(([name]) => name), [output, ...grads]] as [string[], tf.Tensor[]];
    });
  } finally {
    if (previous === undefined) delete process.env[ATTENTION_ENV];
    else process.env[ATTENTION_ENV] = previous;
  }
  const values = await Promise.all(results.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(results);
  return { output: values[0]!, gradients: Object.fromEntries(names.map((name, i) => [name, values[i + 1]!])) };
}
