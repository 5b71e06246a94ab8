/** Small layer helpers generated code calls; exposed as the namespace `nn`. */
import { stridedSliceRanges, type StridedSliceSpec } from '../common/strided-slice.js';
import { fusedAttention, hasFusedAttention } from './kernels/attention.js';
import type { RandomStream } from './random.js';
import { dropout as seededDropout } from './rnn/dropout.js';
import { tf } from './tf.js';

export type { StridedSliceSpec } from '../common/strided-slice.js';

export interface DenseWeights {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias?: tf.Variable<tf.Rank.R1>;
}

export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/**
 * activation(x × kernel + bias), as tf.layers.dense. x of rank above 2 is
 * mapped on its last axis ([..., features] → [..., units]), as Keras Dense:
 * flattened to one matrix for the product, then given its leading axes back.
 */
export function dense<T extends tf.Tensor>(x: T, weights: DenseWeights, activation: DenseActivation): T {
  return tf.tidy(() => {
    const matrix = x.rank === 2 ? (x as tf.Tensor as tf.Tensor2D) : tf.reshape<tf.Rank.R2>(x, [-1, x.shape[x.rank - 1]!]);
    const product = tf.matMul<tf.Tensor2D>(matrix, weights.kernel);
    const affine = weights.bias ? tf.add<tf.Tensor2D>(product, weights.bias) : product;
    const activated = activate(affine, activation);
    return (x.rank === 2 ? activated : tf.reshape(activated, [...x.shape.slice(0, -1), weights.kernel.shape[1]])) as T;
  });
}

function activate(x: tf.Tensor2D, activation: DenseActivation): tf.Tensor2D {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu<tf.Tensor2D>(x);
    case 'sigmoid':
      return tf.sigmoid<tf.Tensor2D>(x);
    case 'tanh':
      return tf.tanh<tf.Tensor2D>(x);
    case 'softmax':
      return tf.softmax<tf.Tensor2D>(x);
  }
}

/**
 * The rows of `table` ([vocab, units]) at int32 `ids` of any rank: [...ids.shape, units]
 * (tf.gather; Keras Embedding, torch.nn.Embedding). Its gradient is a scatter-add into
 * the rows the batch used. ids outside [0, vocab) are tfjs's to handle: the cpu and
 * wasm kernels throw "GatherV2: the index value 12 is not in [0, 9]"; the webgpu
 * kernel does not read the ids back and gives a row of zeros (as TF on a GPU does).
 */
export function embedding<T extends tf.Tensor>(ids: tf.Tensor, table: tf.Variable<tf.Rank.R2>): T {
  return tf.gather(table, ids) as tf.Tensor as T;
}

export interface LayerNormWeights {
  /** The learned scale, shaped like the normalised axis and broadcast over the others (absent with scale: false). */
  readonly gamma?: tf.Variable;
  /** The learned offset (absent with center: false). */
  readonly beta?: tf.Variable;
}

/**
 * (x - mean) / sqrt(variance + epsilon) · gamma + beta, the moments taken over
 * `axis` of each example separately (Keras LayerNormalization, torch.nn.LayerNorm;
 * the variance is the biased one, as both use).
 */
export function layerNorm<T extends tf.Tensor>(x: T, weights: LayerNormWeights, axis: number, epsilon: number): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, axis, true);
    const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    const scaled = weights.gamma ? tf.mul(normalised, weights.gamma) : normalised;
    return (weights.beta ? tf.add(scaled, weights.beta) : scaled) as T;
  });
}

/**
 * The projections of multi-head attention, each a dense layer on the last axis:
 * query and key map to heads·keyDim features, value to heads·valueDim, output
 * from heads·valueDim back to the output size. Head h owns columns
 * [h·keyDim, (h+1)·keyDim) of the query and key kernels (as torch's
 * in_proj_weight rows and Keras's [features, heads, keyDim] kernels do).
 */
export interface AttentionWeights {
  readonly query: DenseWeights;
  readonly key: DenseWeights;
  readonly value: DenseWeights;
  readonly output: DenseWeights;
}

export interface AttentionOptions {
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  /** Probability of keeping each attention weight (dropout on the softmax, as Keras and torch apply it); 1: none. */
  readonly keepProb: number;
}

/**
 * Multi-head scaled dot-product attention (Keras MultiHeadAttention,
 * torch.nn.MultiheadAttention with batch_first): for each head,
 * softmax(Q·Kᵀ/√keyDim + mask)·V over the projected query [batch, Tq, ·],
 * key and value [batch, Tk, ·]; the heads are concatenated and projected.
 * `mask` ([batch, Tq, Tk] or broadcastable to it, bool or float) is Keras's:
 * 1/true where a query may attend to a key; masked scores get -1e9 added
 * before the softmax, so a fully masked row attends uniformly instead of
 * producing NaN. (torch's bool attn_mask is the opposite: true there means
 * masked.) `random` draws the attention dropout's mask, seeded like the dropout op.
 * Where the backend registers the fused kernel (kernels/attention.ts: wasm,
 * webgpu), the core between the projections runs as that kernel; the cpu
 * backend, and every backend under GRAPHC_ATTENTION=composition, run the
 * composition of tfjs ops below, which the kernel equals up to float32 rounding.
 */
export interface AttentionInputs {
  /** [batch, Tq, query features] */
  readonly query: tf.Tensor3D;
  /** [batch, Tk, value features] */
  readonly value: tf.Tensor3D;
  /** [batch, Tk, key features]; the value when absent. */
  readonly key?: tf.Tensor3D;
  /** 1/true where a query may attend to a key: [batch, Tq, Tk] or broadcastable to it. */
  readonly mask?: tf.Tensor;
}

export function multiHeadAttention(inputs: AttentionInputs, weights: AttentionWeights, options: AttentionOptions, random: RandomStream, exampleOffset = 0): tf.Tensor3D {
  const { query, value, key = value, mask } = inputs;
  return tf.tidy(() => {
    const { heads, keyDim, valueDim } = options;
    // [batch, T, heads·dim] → [batch, heads, T, dim]
    const split = (x: tf.Tensor3D, dim: number): tf.Tensor4D =>
      tf.transpose(tf.reshape<tf.Rank.R4>(x, [x.shape[0], x.shape[1], heads, dim]), [0, 2, 1, 3]);
    const projectedQuery = dense(query, weights.query, 'linear');
    const projectedKey = dense(key, weights.key, 'linear');
    const projectedValue = dense(value, weights.value, 'linear');
    const sizes = { batch: query.shape[0], tq: query.shape[1], tk: projectedKey.shape[1], heads, dk: keyDim, dv: valueDim };
    if (hasFusedAttention(undefined, sizes)) {
      // The backend's kernel reads the heads in place and draws the dropout mask the composition would.
      const keep = mask && tf.broadcastTo<tf.Rank.R3>(tf.cast(mask, 'float32'), [query.shape[0], query.shape[1], projectedKey.shape[1]]);
      const keepProb = options.keepProb;
      const seed = keepProb < 1 ? random.nextSeed() : 0;
      const first = exampleOffset * heads * query.shape[1] * projectedKey.shape[1];
      const context = fusedAttention(projectedQuery, projectedKey, projectedValue, keep, { heads, keyDim, valueDim, scale: 1 / Math.sqrt(keyDim), keepProb, seed, first });
      return dense(context, weights.output, 'linear');
    }
    const q = split(projectedQuery, keyDim);
    const k = split(projectedKey, keyDim);
    const v = split(projectedValue, valueDim);
    let scores = tf.mul<tf.Tensor4D>(tf.matMul(q, k, false, true), 1 / Math.sqrt(keyDim));
    if (mask) {
      // Broadcast over the heads: [batch, Tq, Tk] → [batch, 1, Tq, Tk].
      const keep = tf.cast(mask.rank === 3 ? tf.expandDims(mask, 1) : mask, 'float32');
      scores = tf.add(scores, tf.mul(tf.sub(1, keep), -1e9));
    }
    const attention = dropout(tf.softmax(scores), options.keepProb, random, exampleOffset);
    const context = tf.matMul(attention, v); // [batch, heads, Tq, valueDim]
    const merged = tf.reshape<tf.Rank.R3>(tf.transpose(context, [0, 2, 1, 3]), [query.shape[0], query.shape[1], heads * valueDim]);
    return dense(merged, weights.output, 'linear');
  });
}

/** A node's value as generated code holds it: a tensor, or a number for a scalar placeholder (Feeds types those as numbers). */
export type Operand = tf.Tensor | number;

/** An operand as a tensor; a number becomes a float32 scalar (inside the caller's tidy). */
export function asTensor(x: Operand): tf.Tensor {
  return typeof x === 'number' ? tf.scalar(x) : x;
}

export type GeluApproximation = 'none' | 'tanh';

/**
 * The Gaussian error linear unit x·Φ(x): with `none`, Φ exactly through erf,
 * x/2·(1 + erf(x/√2)); with `tanh`, Hendrycks and Gimpel's approximation
 * x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as torch.nn.functional.gelu.
 */
export function gelu<T extends tf.Tensor>(operand: Operand, approximate: GeluApproximation): T {
  return tf.tidy(() => {
    const x = asTensor(operand);
    const inner = approximate === 'tanh' ? tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))))) : tf.erf(tf.mul(x, Math.SQRT1_2));
    return tf.mul<T>(tf.mul(0.5, x), tf.add(1, inner));
  });
}

/**
 * |x| with the gradient sign(x), which is 0 at 0 as in TF and PyTorch; tfjs's
 * own Abs gradient is −1 there.
 */
const absWithSignGradient = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return { value: tf.abs(x), gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, tf.sign(saved!)) };
});

export function abs<T extends tf.Tensor>(x: Operand): T {
  return tf.tidy(() => absWithSignGradient(asTensor(x)) as T);
}

/** a and b broadcast to their joint shape (NumPy's rule), each left as it is when it already has it. */
function broadcastPair(first: Operand, second: Operand): [tf.Tensor, tf.Tensor] {
  const [a, b] = [asTensor(first), asTensor(second)];
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const fit = (t: tf.Tensor): tf.Tensor => (t.rank === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, shape));
  return [fit(a), fit(b)];
}

/**
 * tf.maximum with its inputs broadcast first: tfjs's Maximum and Minimum
 * gradients do not sum over broadcast dimensions (a [2, 1, 3] input against
 * [4, 1] gets a [2, 4, 3] gradient and fails), broadcastTo's does.
 */
export function maximum<T extends tf.Tensor>(a: Operand, b: Operand): T {
  return tf.tidy(() => tf.maximum<T>(...broadcastPair(a, b)));
}

/** tf.minimum with its inputs broadcast first (see maximum). */
export function minimum<T extends tf.Tensor>(a: Operand, b: Operand): T {
  return tf.tidy(() => tf.minimum<T>(...broadcastPair(a, b)));
}

/**
 * x where `condition` holds, else y (tf.where), all three broadcast together.
 * The condition stays off the gradient tape: tfjs's Select gradient sends
 * zeros to it, and a condition made by a comparison (equal, greater) then
 * fails the backward pass, as those have no gradient in tfjs; TF and PyTorch
 * give the condition none. x and y may have a lower rank than the result, or
 * be scalar placeholders' numbers.
 */
export function where<T extends tf.Tensor>(condition: Operand, x: Operand, y: Operand): T {
  return tf.tidy(() => {
    const chosen = typeof condition === 'number' ? tf.scalar(condition !== 0, 'bool') : condition;
    const [a, b] = [asTensor(x), asTensor(y)];
    const shape = tf.backend_util.assertAndGetBroadcastShape(tf.backend_util.assertAndGetBroadcastShape(chosen.shape, a.shape), b.shape);
    // Broadcasting x and y here, on the tape, sums their gradients back to their own shapes.
    const fit = (t: tf.Tensor): tf.Tensor => (t.rank === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, shape));
    const mask = fit(chosen);
    const select = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      (args[2] as tf.GradSaveFunc)([mask]);
      return {
        value: tf.where(mask, args[0] as tf.Tensor, args[1] as tf.Tensor),
        gradFunc: (dy: tf.Tensor, [kept]: tf.Tensor[]) => {
          const zeros = tf.zerosLike(dy);
          return [tf.where(kept!, dy, zeros), tf.where(kept!, zeros, dy)];
        },
      };
    });
    return select(fit(a), fit(b)) as T;
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

/**
 * TF's strided_slice (x[begin:end:stride], with begin_mask, end_mask and
 * shrink_axis_mask), written with ops whose gradients tfjs has on every
 * backend (tf.stridedSlice has none): the block spanning the positions, then
 * per strided dimension a reverse (negative strides) and every k-th position
 * (padded to a multiple of k and reshaped), then the shrunk dimensions dropped.
 */
export function stridedSlice<T extends tf.Tensor>(x: tf.Tensor, spec: StridedSliceSpec): T {
  const ranges = stridedSliceRanges(x.shape, spec);
  if (!Array.isArray(ranges)) throw new RangeError(`strided_slice: ${JSON.stringify(ranges)} for shape [${x.shape.join(', ')}]`);
  return tf.tidy(() => {
    // start and length are known once the shape is: no dimension is unknown at run time.
    const span = ranges.map((r) => (r.length! - 1) * Math.abs(r.step) + 1);
    const first = ranges.map((r, d) => (r.step > 0 ? r.start! : r.start! - span[d]! + 1));
    let y = tf.slice(x, first, span);
    for (const [d, r] of ranges.entries()) {
      if (r.step < 0) y = tf.reverse(y, d);
      const k = Math.abs(r.step);
      if (k === 1 || r.length === 1) continue;
      const padded = tf.pad(y, y.shape.map((_, i) => [0, i === d ? k - 1 : 0] as [number, number]));
      const grouped = tf.reshape(padded, [...y.shape.slice(0, d), r.length!, k, ...y.shape.slice(d + 1)]);
      y = tf.squeeze(tf.slice(grouped, grouped.shape.map(() => 0), grouped.shape.map((n, i) => (i === d + 1 ? 1 : n))), [d + 1]);
    }
    const shrunk = ranges.flatMap((r, d) => (r.shrink ? [d] : []));
    return (shrunk.length > 0 ? tf.squeeze(y, shrunk) : y) as T;
  });
}

/**
 * tf.mirrorPad's values with TF's gradient: tfjs 4.22's MirrorPad gradient
 * keeps only the centre of the output gradient, losing what the mirrored
 * borders send back to the positions they copy. Here each dimension is its
 * mirrored head and tail concatenated around it (reflect leaves out the
 * edge, symmetric repeats it), ops whose gradients are right.
 */
export function mirrorPad<T extends tf.Tensor>(x: T, paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric'): T {
  const skip = mode === 'reflect' ? 1 : 0;
  return tf.tidy(() => {
    let y: tf.Tensor = x;
    for (const [d, [before, after]] of paddings.entries()) {
      const centre = y;
      const n = centre.shape[d]!;
      const mirrored = (start: number, size: number): tf.Tensor =>
        tf.reverse(tf.slice(centre, centre.shape.map((_, i) => (i === d ? start : 0)), centre.shape.map((s, i) => (i === d ? size : s))), d);
      if (before > 0 || after > 0) y = tf.concat([...(before > 0 ? [mirrored(skip, before)] : []), centre, ...(after > 0 ? [mirrored(n - after - skip, after)] : [])], d);
    }
    return y as T;
  });
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
