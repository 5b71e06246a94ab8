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
