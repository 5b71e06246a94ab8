/** Small layer helpers generated code calls; exposed as the namespace `nn`. */
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
