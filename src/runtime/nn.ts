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
