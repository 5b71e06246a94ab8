import { beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../src/runtime/nn.js';
import { RandomStream } from '../../src/runtime/random.js';
import { dropout as seededDropout } from '../../src/runtime/rnn/dropout.js';
import { tf } from '../../src/runtime/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('nn.take', () => {
  const x = (): tf.Tensor3D => tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);

  it('picks one position along an axis and drops it; -1 is the last', () => {
    const t = x();
    expect(nn.take<tf.Tensor2D>(t, 1, -1).arraySync()).toEqual([
      [8, 9, 10, 11],
      [20, 21, 22, 23],
    ]);
    expect(nn.take<tf.Tensor2D>(t, 1, 0).arraySync()).toEqual(t.arraySync().map((b) => b[0]));
    expect(nn.take<tf.Tensor2D>(t, 2, 1).arraySync()).toEqual([
      [1, 5, 9],
      [13, 17, 21],
    ]);
    expect(nn.take<tf.Tensor2D>(t, 0, -2).shape).toEqual([3, 4]);
    t.dispose();
  });

  it('passes the gradient to the taken position only', () => {
    const t = x();
    const g = tf.grad((v: tf.Tensor) => tf.sum(nn.take(v, 1, -1)))(t);
    const values = g.arraySync() as number[][][];
    expect(values.map((b) => b.map((row) => row[0]))).toEqual([
      [0, 0, 1],
      [0, 0, 1],
    ]);
    tf.dispose([t, g]);
  });

  it('rejects an index outside the axis', () => {
    const t = x();
    expect(() => nn.take(t, 1, 3)).toThrow(RangeError);
    expect(() => nn.take(t, 1, -4)).toThrow(RangeError);
    t.dispose();
  });
});

describe('nn.dropout', () => {
  it('with keep 1 returns the input and draws no seed', () => {
    const t = tf.ones([4, 4]);
    const random = new RandomStream(5);
    const state = random.getState();
    expect(nn.dropout(t, 1, random)).toBe(t);
    expect(random.getState()).toEqual(state);
    t.dispose();
  });

  it('with keep < 1 draws one seed and applies TF1 dropout with it', () => {
    const t = tf.fill([20, 30], 2);
    const random = new RandomStream(5);
    const expected = seededDropout(t, 0.5, new RandomStream(5).nextSeed());
    const actual = nn.dropout(t, 0.5, random);
    expect(actual.arraySync()).toEqual(expected.arraySync());
    // Exactly one seed drawn: the next draw is the stream's second value.
    const reference = new RandomStream(5);
    reference.nextSeed();
    expect(random.nextSeed()).toBe(reference.nextSeed());
    tf.dispose([t, expected, actual]);
  });
});

describe('nn.dense on rank 3', () => {
  it('maps each position\'s last axis with the same weights as rank 2 does', () => {
    const x = tf.randomUniform([2, 3, 4], -1, 1, 'float32', 1) as tf.Tensor3D;
    const weights = { kernel: tf.variable(tf.randomUniform([4, 5], -1, 1, 'float32', 2)) as tf.Variable<tf.Rank.R2>, bias: tf.variable(tf.randomUniform([5], -1, 1, 'float32', 3)) as tf.Variable<tf.Rank.R1> };
    const y = nn.dense(x, weights, 'tanh');
    expect(y.shape).toEqual([2, 3, 5]);
    const rows = nn.dense(tf.reshape<tf.Rank.R2>(x, [6, 4]), weights, 'tanh');
    expect(Array.from(y.dataSync())).toEqual(Array.from(rows.dataSync()));
    tf.dispose([x, y, rows, weights.kernel, weights.bias]);
  });
});

describe('nn.embedding', () => {
  it('gathers rows at ids of any rank; an id outside the table is tfjs\'s GatherV2 error on cpu', () => {
    const table = tf.variable(tf.tensor2d([[0, 1], [10, 11], [20, 21]])) as tf.Variable<tf.Rank.R2>;
    const ids = tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32');
    expect(nn.embedding<tf.Tensor3D>(ids, table).arraySync()).toEqual([[[20, 21], [0, 1]], [[10, 11], [10, 11]]]);
    const bad = tf.tensor1d([3], 'int32');
    expect(() => nn.embedding(bad, table)).toThrow(/GatherV2: the index value 3 is not in \[0, 2\]/);
    tf.dispose([table, ids, bad]);
  });
});

describe('nn.layerNorm', () => {
  it('gives each example\'s axis mean 0 and variance 1 before gamma and beta', () => {
    const x = tf.tensor2d([[1, 2, 3, 4], [10, 10, 10, 30]]);
    const plain = nn.layerNorm(x, {}, 1, 1e-5);
    const { mean, variance } = tf.moments(plain, 1);
    expect(Array.from(mean.dataSync()).map((m) => Math.abs(m) < 1e-5)).toEqual([true, true]);
    expect(Array.from(variance.dataSync()).map((v) => Math.abs(v - 1) < 1e-3)).toEqual([true, true]);
    const gamma = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    const beta = tf.variable(tf.tensor1d([0, 0, 0, 1]));
    const affine = nn.layerNorm(x, { gamma, beta }, 1, 1e-5);
    expect(affine.arraySync()[1]![3]).toBeCloseTo((15 / Math.sqrt(75 + 1e-5)) * 4 + 1, 4);
    tf.dispose([x, plain, mean, variance, gamma, beta, affine]);
  });
});

describe('nn.multiHeadAttention', () => {
  const projection = (inputs: number, units: number, seed: number): nn.DenseWeights => ({
    kernel: tf.variable(tf.randomUniform([inputs, units], -0.5, 0.5, 'float32', seed)) as tf.Variable<tf.Rank.R2>,
    bias: tf.variable(tf.randomUniform([units], -0.5, 0.5, 'float32', seed + 1)) as tf.Variable<tf.Rank.R1>,
  });
  const weights: nn.AttentionWeights = { query: projection(4, 6, 1), key: projection(4, 6, 3), value: projection(4, 4, 5), output: projection(4, 3, 7) };
  const options = { heads: 2, keyDim: 3, valueDim: 2, keepProb: 1 };

  it('with one head and identity projections is softmax(q·kᵀ/√d)·v', () => {
    const eye = (n: number): nn.DenseWeights => ({ kernel: tf.variable(tf.eye(n)) as tf.Variable<tf.Rank.R2> });
    const q = tf.tensor3d([[[1, 0], [0, 2]]]);
    const kv = tf.tensor3d([[[1, 1], [2, -1], [0, 3]]]);
    const out = nn.multiHeadAttention({ query: q, value: kv }, { query: eye(2), key: eye(2), value: eye(2), output: eye(2) }, { heads: 1, keyDim: 2, valueDim: 2, keepProb: 1 }, new RandomStream(1));
    const expected = tf.matMul(tf.softmax(tf.div(tf.matMul(q, kv, false, true), Math.SQRT2)), kv);
    expect(Array.from(out.dataSync()).map((v) => v.toFixed(5))).toEqual(Array.from(expected.dataSync()).map((v) => v.toFixed(5)));
  });

  it('a masked key does not reach the output: changing its value changes nothing', () => {
    const query = tf.randomUniform([2, 3, 4], -1, 1, 'float32', 11) as tf.Tensor3D;
    const value = tf.randomUniform([2, 5, 4], -1, 1, 'float32', 12) as tf.Tensor3D;
    const changed = tf.concat([value.slice([0, 0, 0], [2, 4, 4]), tf.fill([2, 1, 4], 7)], 1) as tf.Tensor3D;
    // Keys 0–3 may be attended to, key 4 not: [Tk] broadcast to [batch, Tq, Tk].
    const mask = tf.tensor1d([true, true, true, true, false], 'bool');
    const a = nn.multiHeadAttention({ query, value, mask }, weights, options, new RandomStream(1));
    const b = nn.multiHeadAttention({ query, value: changed, mask }, weights, options, new RandomStream(1));
    const unmasked = nn.multiHeadAttention({ query, value: changed }, weights, options, new RandomStream(1));
    expect(a.shape).toEqual([2, 3, 3]);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(a, unmasked))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('attention dropout draws one seed from the stream per call, so equal streams give equal outputs', () => {
    const query = tf.randomUniform([2, 3, 4], -1, 1, 'float32', 21) as tf.Tensor3D;
    const run = (seed: number): Float32Array => nn.multiHeadAttention({ query, value: query }, weights, { ...options, keepProb: 0.5 }, new RandomStream(seed)).dataSync() as Float32Array;
    expect(Array.from(run(3))).toEqual(Array.from(run(3)));
    expect(Array.from(run(3))).not.toEqual(Array.from(run(4)));
    const random = new RandomStream(5);
    nn.multiHeadAttention({ query, value: query }, weights, options, random);
    expect(random.nextSeed()).toBe(new RandomStream(5).nextSeed());
  });
});

describe('nn.stridedSlice', () => {
  const x = (): tf.Tensor3D => tf.tensor3d(Array.from({ length: 3 * 10 * 6 }, (_, i) => i), [3, 10, 6]);
  const SPECS: readonly nn.StridedSliceSpec[] = [
    { begin: [0, 1], end: [0, -1], strides: [1, 2], beginMask: 1, endMask: 1 },
    { begin: [0, 0, 2], end: [0, 0, 3], strides: [1, -1, 1], beginMask: 3, endMask: 3, shrinkAxisMask: 4 },
    { begin: [0, 8], end: [0, 1], strides: [1, -3], beginMask: 1, endMask: 1 },
    { begin: [1, -3, 0], end: [3, 100, 6], strides: [1, 1, 4] },
    { begin: [2], end: [3], shrinkAxisMask: 1 },
    { begin: [0, 9, 5], end: [0, 0, 0], strides: [2, -2, -5], beginMask: 1, endMask: 5 },
  ];
  /**
   * tf.stridedSlice as the reference, shrunk dimensions squeezed afterwards:
   * tfjs 4.22 takes the wrong positions when shrink_axis_mask meets a negative
   * stride (x[:, ::-1, 2] gives x[0, 1, 3], x[0, 1, 2], …), though not without it.
   */
  const reference = (t: tf.Tensor, spec: nn.StridedSliceSpec): tf.Tensor => {
    const shrunk = [0, 1, 2].filter((d) => ((spec.shrinkAxisMask ?? 0) >> d) & 1);
    const block = tf.stridedSlice(t, [...spec.begin], [...spec.end], spec.strides ? [...spec.strides] : undefined, spec.beginMask, spec.endMask);
    return shrunk.length > 0 ? tf.squeeze(block, shrunk) : block;
  };

  it("takes what TF's strided_slice takes", () => {
    const t = x();
    for (const spec of SPECS) {
      const ours = nn.stridedSlice(t, spec);
      const expected = reference(t, spec);
      expect({ shape: ours.shape, values: ours.arraySync() }, JSON.stringify(spec)).toEqual({ shape: expected.shape, values: expected.arraySync() });
    }
    // x[:, ::-1, 2], by hand: x[0, 9, 2] = 56 first.
    expect((nn.stridedSlice<tf.Tensor2D>(t, SPECS[1]!).arraySync()[0])).toEqual([56, 50, 44, 38, 32, 26, 20, 14, 8, 2]);
    t.dispose();
  });

  it('passes the gradient to the taken positions, once each', () => {
    const t = x();
    for (const spec of SPECS) {
      const grad = tf.grad((input: tf.Tensor) => tf.sum(nn.stridedSlice(input, spec)))(t);
      // The gradient of the sum is 1 at each taken position and 0 elsewhere.
      expect(grad.sum().arraySync(), JSON.stringify(spec)).toBe(reference(t, spec).size);
      expect(reference(grad, spec).dataSync().every((v) => v === 1), JSON.stringify(spec)).toBe(true);
    }
    t.dispose();
  });
});
