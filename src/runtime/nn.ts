/** Small layer helpers generated code calls; exposed as the namespace `nn`. */
import type { RandomStream } from './random.js';
import { dropout as seededDropout } from './rnn/dropout.js';
import { tf } from './tf.js';

export interface DenseWeights {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias?: tf.Variable<tf.Rank.R1>;
}

export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** activation(x × kernel + bias), as tf.layers.dense. */
export function dense(x: tf.Tensor2D, weights: DenseWeights, activation: DenseActivation): tf.Tensor2D {
  return tf.tidy(() => {
    const product = tf.matMul<tf.Tensor2D>(x, weights.kernel);
    const affine = weights.bias ? tf.add<tf.Tensor2D>(product, weights.bias) : product;
    switch (activation) {
      case 'linear':
        return affine;
      case 'relu':
        return tf.relu<tf.Tensor2D>(affine);
      case 'sigmoid':
        return tf.sigmoid<tf.Tensor2D>(affine);
      case 'tanh':
        return tf.tanh<tf.Tensor2D>(affine);
      case 'softmax':
        return tf.softmax<tf.Tensor2D>(affine);
    }
  });
}

/**
 * x at `index` along `axis`, that axis dropped (x[:, -1, :] is axis 1, index
 * -1); a negative index counts from the end.
 */
export function take<T extends tf.Tensor>(x: tf.Tensor, axis: number, index: number): T {
  const size = x.shape[axis];
  if (size === undefined) throw new RangeError(`take: axis ${axis} is out of range for rank ${x.rank}`);
  const position = index < 0 ? index + size : index;
  if (!(position >= 0 && position < size)) throw new RangeError(`take: index ${index} is out of range for axis ${axis} of size ${size}`);
  return tf.tidy(() => {
    const begin = x.shape.map((_, k) => (k === axis ? position : 0));
    const sizes = x.shape.map((_, k) => (k === axis ? 1 : -1));
    return tf.squeeze(tf.slice(x, begin, sizes), [axis]) as T;
  });
}

/**
 * tf.nn.dropout(x, keep_prob) with its mask seeded from `random` (one draw per
 * call, in graph order, like the RNN dropout wrappers); keep >= 1 returns x
 * itself and draws nothing, so evaluation does not advance the stream.
 * exampleOffset places x's first row in a batch split across workers.
 */
export function dropout<T extends tf.Tensor>(x: T, keepProb: number, random: RandomStream, exampleOffset = 0): T {
  return keepProb >= 1 ? x : seededDropout(x, keepProb, random.nextSeed(), exampleOffset);
}

/** A batch_norm node's variables: gamma and beta (trainable, when `scale` and `center`) and its moving statistics (non-trainable state). */
export interface BatchNormWeights {
  readonly gamma?: tf.Variable<tf.Rank.R1>;
  readonly beta?: tf.Variable<tf.Rank.R1>;
  readonly movingMean: tf.Variable<tf.Rank.R1>;
  readonly movingVariance: tf.Variable<tf.Rank.R1>;
}

export interface BatchNormOptions {
  /** true: normalise with the batch's statistics (and record them); false: with the moving ones. */
  readonly training: boolean;
  /** The channel axis, non-negative. */
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
}

/**
 * One batch_norm application's batch statistics in a training step: the
 * mean and the biased variance over `count` values per channel. The session
 * folds them into the moving averages after the step (TrainingSession.updateMovingAverages).
 */
export interface BatchStatistics {
  readonly weights: BatchNormWeights;
  readonly momentum: number;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  readonly count: number;
}

/**
 * gamma · (x − mean) / sqrt(variance + epsilon) + beta per channel, as Keras's
 * BatchNormalization: in training, mean and variance are the batch's (biased,
 * over every axis but the channel's) and the gradient flows through them; in
 * inference they are the moving statistics. In training the batch statistics
 * are recorded into `statistics` when given (a training step's).
 */
export function batchNorm<T extends tf.Tensor>(x: T, weights: BatchNormWeights, options: BatchNormOptions, statistics?: BatchStatistics[]): T {
  return tf.tidy(() => {
    const { axis, epsilon } = options;
    let mean: tf.Tensor1D = weights.movingMean;
    let variance: tf.Tensor1D = weights.movingVariance;
    if (options.training) {
      const reduced = x.shape.map((_, k) => k).filter((k) => k !== axis);
      const moments = tf.moments(x, reduced);
      mean = moments.mean as tf.Tensor1D;
      variance = moments.variance as tf.Tensor1D;
      const count = reduced.reduce((n, k) => n * x.shape[k]!, 1);
      statistics?.push({ weights, momentum: options.momentum, mean: tf.keep(mean), variance: tf.keep(variance), count });
    }
    // tfjs's fused kernel takes ranks up to 4 with the channels last, and needs gamma and beta for its gradient; other cases are composed.
    if (axis === x.rank - 1 && x.rank <= 4 && weights.gamma && weights.beta) return tf.batchNorm(x, mean, variance, weights.beta, weights.gamma, epsilon) as T;
    const along = x.shape.map((d, k) => (k === axis ? d : 1));
    const perChannel = (t: tf.Tensor1D): tf.Tensor => tf.reshape(t, along);
    let y = tf.mul(tf.sub(x, perChannel(mean)), tf.rsqrt(tf.add(perChannel(variance), epsilon)));
    if (weights.gamma) y = tf.mul(y, perChannel(weights.gamma));
    if (weights.beta) y = tf.add(y, perChannel(weights.beta));
    return y as T;
  });
}

/** TF's SAME padding of one dimension: [before, after], the odd position after. */
function samePadding(size: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + window - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * tf.nn.avg_pool on NHWC images. With SAME padding a border window averages
 * only the values inside the image; tfjs's forward pass does so, but its
 * gradient divides by the whole window, so SAME is computed here as the
 * windows' sum over the zero-padded image divided by their count of real values.
 */
export function avgPool(x: tf.Tensor4D, window: [number, number], strides: [number, number], padding: 'same' | 'valid'): tf.Tensor4D {
  if (padding === 'valid') return tf.avgPool(x, window, strides, 'valid');
  return tf.tidy(() => {
    const pads: Array<[number, number]> = [[0, 0], samePadding(x.shape[1], window[0], strides[0]), samePadding(x.shape[2], window[1], strides[1]), [0, 0]];
    const sums = tf.avgPool(tf.pad(x, pads), window, strides, 'valid');
    const counts = tf.avgPool(tf.pad(tf.ones([1, x.shape[1], x.shape[2], 1]) as tf.Tensor4D, pads), window, strides, 'valid');
    return tf.div(sums, counts);
  });
}

/**
 * tf.nn.conv1d with dilation > 1 (stride 1) on NWC: tfjs has no gradient for
 * dilated convolutions, so it is written as a sum over the filter's taps of
 * the input shifted by tap · dilation, times that tap's [in, out] matrix.
 */
export function dilatedConv1d(x: tf.Tensor3D, filter: tf.Tensor3D, dilation: number, padding: 'same' | 'valid'): tf.Tensor3D {
  return tf.tidy(() => {
    const [taps, inChannels, outChannels] = filter.shape;
    const span = (taps - 1) * dilation + 1;
    const padded = padding === 'same' ? tf.pad(x, [[0, 0], samePadding(x.shape[1], span, 1), [0, 0]]) : x;
    const [batch, width] = padded.shape;
    const outWidth = width - span + 1;
    let sum: tf.Tensor2D | undefined;
    for (let t = 0; t < taps; t++) {
      const shifted = tf.reshape(tf.slice(padded, [0, t * dilation, 0], [batch, outWidth, inChannels]), [batch * outWidth, inChannels]);
      const term: tf.Tensor2D = tf.matMul(shifted as tf.Tensor2D, tf.reshape(tf.slice(filter, [t, 0, 0], [1, inChannels, outChannels]), [inChannels, outChannels]) as tf.Tensor2D);
      sum = sum ? tf.add<tf.Tensor2D>(sum, term) : term;
    }
    return tf.reshape(sum!, [batch, outWidth, outChannels]);
  });
}
