/**
 * The fused losses against the plain composition of tfjs ops they replace:
 * the same values and the same gradients (for logits, labels and weights) on
 * small random shapes, and finite values where the composition overflows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as losses from '../../src/runtime/losses.js';
import * as metrics from '../../src/runtime/metrics.js';
import * as nn from '../../src/runtime/nn.js';
import { tf } from '../../src/runtime/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const uniform = (shape: number[], seed: number, lo = -3, hi = 3): tf.Tensor => tf.randomUniform(shape, lo, hi, 'float32', seed);

/** Each tensor's values within `tolerance` of the other's. */
function expectClose(actual: readonly tf.Tensor[], expected: readonly tf.Tensor[], tolerance = 1e-5): void {
  expect(actual.map((t) => t.shape)).toEqual(expected.map((t) => t.shape));
  actual.forEach((a, i) => {
    const difference = tf.max(tf.abs(tf.sub(a, expected[i]!))).dataSync()[0]!;
    expect(difference).toBeLessThan(tolerance);
  });
}

/** Value and gradients of sum(f · cotangent), so every element's gradient counts with its own weight. */
function valueAndGrads(f: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], cotangentSeed = 99): tf.Tensor[] {
  const value = f(...inputs);
  const cotangent = uniform(value.shape, cotangentSeed, 0.5, 1.5);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), cotangent)))(inputs);
  return [value, ...grads];
}

const plainSoftmaxCrossEntropy = (labels: tf.Tensor, logits: tf.Tensor): tf.Tensor => tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1));
const plainSigmoidCrossEntropy = (labels: tf.Tensor, logits: tf.Tensor): tf.Tensor => {
  // −z·log σ(x) − (1 − z)·log(1 − σ(x)), the textbook form.
  const p = tf.sigmoid(logits);
  return tf.neg(tf.add(tf.mul(labels, tf.log(p)), tf.mul(tf.sub(1, labels), tf.log(tf.sub(1, p)))));
};

describe('fused cross-entropies equal the plain composition, with its gradients', () => {
  const none = { reduction: 'none' } as const;

  it('softmax_cross_entropy_with_logits: probabilities and one-hot labels, [4, 5] and [2, 3, 6]', () => {
    for (const shape of [[4, 5], [2, 3, 6]]) {
      const labels = tf.softmax(uniform(shape, 1));
      const logits = uniform(shape, 2);
      expectClose(
        valueAndGrads((l, x) => losses.softmaxCrossEntropyWithLogits(l!, x!, none), [labels, logits]),
        valueAndGrads(plainSoftmaxCrossEntropy, [labels, logits]),
      );
    }
    // Labels that do not sum to 1 (a label-smoothing mistake): the gradient is softmax·Σlabels − labels, as the composition's.
    const heavy = uniform([3, 4], 3, 0, 1);
    expectClose(
      valueAndGrads((l, x) => losses.softmaxCrossEntropyWithLogits(l!, x!, none), [heavy, uniform([3, 4], 4)]),
      valueAndGrads(plainSoftmaxCrossEntropy, [heavy, uniform([3, 4], 4)]),
    );
  });

  it('sparse_softmax_cross_entropy equals the dense one on one-hot labels', () => {
    const ids = tf.tensor1d([0, 4, 2, 2], 'int32');
    const logits = uniform([4, 5], 5);
    const sparse = valueAndGrads((x) => losses.sparseSoftmaxCrossEntropy(ids, x!, none), [logits]);
    const dense = valueAndGrads((x) => plainSoftmaxCrossEntropy(tf.oneHot(ids, 5), x!), [logits]);
    expectClose(sparse, dense);
  });

  it('sigmoid_cross_entropy: values and gradients for logits and labels', () => {
    const labels = uniform([3, 4], 6, 0, 1);
    const logits = uniform([3, 4], 7);
    expectClose(
      valueAndGrads((l, x) => losses.sigmoidCrossEntropy(l!, x!, none), [labels, logits]),
      valueAndGrads(plainSigmoidCrossEntropy, [labels, logits]),
      1e-4,
    );
  });

  it('stay finite where the composition overflows', () => {
    const logits = tf.tensor2d([[1000, -1000, 0], [-500, 500, 100]]);
    const labels = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
    const [value, , logitsGrad] = valueAndGrads((l, x) => losses.softmaxCrossEntropyWithLogits(l!, x!, none), [labels, logits]);
    expect(value!.arraySync()).toEqual([2000, 1000]);
    expect(Array.from(logitsGrad!.dataSync()).every(Number.isFinite)).toBe(true);
    const sigmoid = losses.sigmoidCrossEntropy(tf.tensor1d([1, 0, 1]), tf.tensor1d([-200, 200, 200]), none);
    expect(Array.from(sigmoid.dataSync())).toEqual([200, 200, 0]);
    expect(Array.from(plainSigmoidCrossEntropy(tf.tensor1d([1]), tf.tensor1d([-200])).dataSync())[0]).toBe(Infinity);
  });
});

describe('regression losses', () => {
  const labels = tf.tensor2d([[0, 1], [2, -1]]);
  const predictions = tf.tensor2d([[0.5, 1], [4, -1.25]]);

  it('mean_squared_error, mean_absolute_error and huber per element', () => {
    expect(losses.meanSquaredError(labels, predictions, { reduction: 'none' }).arraySync()).toEqual([[0.25, 0], [4, 0.0625]]);
    expect(losses.meanAbsoluteError(labels, predictions, { reduction: 'none' }).arraySync()).toEqual([[0.5, 0], [2, 0.25]]);
    // |e| ≤ 1: ½e²; beyond: 1·(|e| − ½).
    expect(losses.huber(labels, predictions, { reduction: 'none', delta: 1 }).arraySync()).toEqual([[0.125, 0], [1.5, 0.03125]]);
  });

  it('huber equals F.huber_loss\'s two pieces at another delta, with the gradient clip(e, −delta, delta)', () => {
    const e = uniform([10], 8, -4, 4);
    const zero = tf.zerosLike(e);
    const [value, , grad] = valueAndGrads((l, p) => losses.huber(l!, p!, { reduction: 'none', delta: 2 }), [zero, e]);
    const plain = tf.where(tf.lessEqual(tf.abs(e), 2), tf.mul(0.5, tf.square(e)), tf.mul(2, tf.sub(tf.abs(e), 1)));
    expectClose([value!], [plain]);
    const cotangent = uniform([10], 99, 0.5, 1.5);
    expectClose([grad!], [tf.mul(cotangent, tf.clipByValue(e, -2, 2))]);
  });
});

describe('reduction and weights (TF1 tf.losses)', () => {
  const perExample = tf.tensor1d([1, 2, 3, 4]);
  const weights = tf.tensor1d([1, 0, 1, 2]);
  const reduce = (reduction: losses.Reduction, w?: tf.Tensor): number[] | number =>
    losses.reduceLosses<tf.Tensor>(perExample, { reduction, ...(w ? { weights: w } : {}) }).arraySync() as number[] | number;

  it('mean is the weighted mean, sum the weighted sum, none the weighted losses', () => {
    expect(reduce('mean')).toBeCloseTo(2.5);
    expect(reduce('sum')).toBe(10);
    expect(reduce('none')).toEqual([1, 2, 3, 4]);
    expect(reduce('mean', weights)).toBeCloseTo((1 + 3 + 8) / 4);
    expect(reduce('sum', weights)).toBe(12);
    expect(reduce('none', weights)).toEqual([1, 0, 3, 8]);
    expect(reduce('mean', tf.scalar(3))).toBeCloseTo(2.5);
  });

  it('weights that sum to 0 give 0, not NaN; a [batch, 1] weight counts once per element it scales', () => {
    expect(reduce('mean', tf.zeros([4]))).toBe(0);
    const grid = tf.tensor2d([[1, 2], [3, 4]]);
    expect(losses.reduceLosses<tf.Scalar>(grid, { reduction: 'mean', weights: tf.tensor2d([[1], [0]]) }).arraySync()).toBeCloseTo(1.5);
  });
});

describe('metrics', () => {
  const logits = tf.tensor2d([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2]]);

  it('accuracy from int32 ids and from one-hot rows', () => {
    const ids = tf.tensor1d([1, 1, 2, 0], 'int32');
    expect(metrics.accuracy(ids, logits).arraySync()).toBeCloseTo(0.75);
    expect(metrics.accuracy(tf.oneHot(ids, 3).toFloat(), logits).arraySync()).toBeCloseTo(0.75);
  });

  it('top_k_accuracy counts a tie at the k-th place as in, like tf.math.in_top_k', () => {
    const ids = tf.tensor1d([2, 2, 0, 1], 'int32');
    // Row 4's class 1 ties with class 0 at first place; the labels of rows 1, 2 and 3 are 2nd, 3rd and 3rd.
    expect(metrics.topKAccuracy(ids, logits, 1).arraySync()).toBeCloseTo(0.25);
    expect(metrics.topKAccuracy(tf.tensor1d([0, 0, 0, 0], 'int32'), logits, 1).arraySync()).toBeCloseTo(0.5);
    expect(metrics.topKAccuracy(ids, logits, 2).arraySync()).toBeCloseTo(0.5);
    expect(metrics.topKAccuracy(ids, logits, 3).arraySync()).toBeCloseTo(1);
  });

  it('mae and rmse', () => {
    const targets = tf.tensor1d([1, 2, 3, 4]);
    const predictions = tf.tensor1d([1, 3, 1, 4]);
    expect(metrics.meanAbsoluteError(targets, predictions).arraySync()).toBeCloseTo(0.75);
    expect(metrics.rootMeanSquaredError(targets, predictions).arraySync()).toBeCloseTo(Math.sqrt(5 / 4));
  });
});

describe('nn.gelu', () => {
  it('the exact form is x·Φ(x); the tanh form stays within 1e-3 of it', () => {
    const x = tf.tensor1d([-3, -1, 0, 0.5, 2]);
    const phi = [0.0013499, 0.1586553, 0.5, 0.6914625, 0.9772499];
    const exact = Array.from(nn.gelu(x, 'none').dataSync());
    exact.forEach((v, i) => expect(v).toBeCloseTo([-3, -1, 0, 0.5, 2][i]! * phi[i]!, 5));
    const approximate = Array.from(nn.gelu(x, 'tanh').dataSync());
    approximate.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-3));
  });

  it('nn.abs has the gradient sign(x), 0 at 0', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(nn.abs(x)))(tf.tensor1d([-2, 0, 3]));
    expect(Array.from(g.dataSync())).toEqual([-1, 0, 1]);
  });

  it('nn.maximum and nn.minimum sum their gradients over broadcast dimensions', () => {
    const a = tf.tensor3d([[[0, 5, -1]], [[2, -3, 4]]]); // [2, 1, 3]
    const b = tf.tensor2d([[1], [-2], [3], [0.5]]); // [4, 1]
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(nn.maximum(x, y)))([a, b]);
    expect(ga!.shape).toEqual([2, 1, 3]);
    expect(gb!.shape).toEqual([4, 1]);
    // Each a element wins against the b values it exceeds; each b value wins where it exceeds a.
    expect(ga!.arraySync()).toEqual([[[1, 4, 1]], [[3, 0, 4]]]);
    expect(gb!.arraySync()).toEqual([[3], [1], [4], [3]]);
    const [ma, mb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(nn.minimum(x, y)))([a, b]);
    expect(tf.add(ga!, ma!).arraySync()).toEqual([[[4, 4, 4]], [[4, 4, 4]]]);
    expect(tf.add(gb!, mb!).arraySync()).toEqual([[6], [6], [6], [6]]);
  });

  it('nn.where broadcasts a lower-rank x and y', () => {
    const chosen = nn.where<tf.Tensor2D>(tf.tensor2d([[true, false], [false, true]], [2, 2], 'bool'), tf.scalar(1), tf.tensor1d([5, 6]));
    expect(chosen.arraySync()).toEqual([[1, 6], [5, 1]]);
    expect(nn.where<tf.Scalar>(1, 2, 3).arraySync()).toBe(2);
  });

  it('nn.where differentiates through a condition made by a comparison, which tf.where cannot', () => {
    const x = tf.tensor1d([-1, 2, -3, 4]);
    const y = tf.tensor1d([10]);
    const f = (where: (c: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(where(tf.greater(a, 0), tf.square(a), b));
    const [gx, gy] = tf.grads(f((c, a, b) => nn.where(c, a, b)))([x, y]);
    expect(Array.from(gx!.dataSync(), (v) => v + 0)).toEqual([0, 4, 0, 8]); // + 0: the square's gradient 2x·0 is −0 for x < 0
    expect(Array.from(gy!.dataSync())).toEqual([2]);
    expect(() => tf.grads(f((c, a, b) => tf.where(c, a, b)))([x, y])).toThrow(/gradient function not found for Greater/);
  });
});

describe('sparse_softmax_cross_entropy with an id outside the classes', () => {
  it('gives that example a loss and a gradient of 0, as documented', () => {
    const logits = uniform([2, 3], 11);
    const [value, grad] = valueAndGrads((x) => losses.sparseSoftmaxCrossEntropy(tf.tensor1d([1, 7], 'int32'), x!, { reduction: 'none' }), [logits]);
    // + 0 folds −0 (the negated empty sum) into 0.
    expect(value!.dataSync()[1]! + 0).toBe(0);
    expect(Array.from(grad!.dataSync(), (v) => v + 0).slice(3)).toEqual([0, 0, 0]);
    expect(value!.dataSync()[0]).toBeGreaterThan(0);
  });
});
