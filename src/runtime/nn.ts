/** Small layer helpers generated code calls; exposed as the namespace `nn`. */
import { stridedSliceRanges, type StridedSliceSpec } from '../common/strided-slice.js';
import type { RandomStream } from './random.js';
import { dropout as seededDropout } from './rnn/dropout.js';
import { tf } from './tf.js';

export type { StridedSliceSpec } from '../common/strided-slice.js';

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
