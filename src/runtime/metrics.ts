/**
 * Metrics generated code calls; exposed as the namespace `metrics`. Each
 * takes (labels, predictions) in tf.metrics' order and gives a float32 scalar
 * over the batch. Labels for the classification metrics are int32 class ids
 * ([batch]) or one-hot / probability rows ([batch, classes]).
 */
import { abs, type Operand } from './nn.js';
import { tf } from './tf.js';

/** Class ids from int32 ids or from one-hot rows (their argmax). */
function classIds(labels: tf.Tensor): tf.Tensor {
  return labels.dtype === 'int32' ? labels : tf.argMax(labels, -1);
}

/**
 * A count-based metric of the predictions with a zero gradient: tfjs has no
 * gradient for the comparisons it is made of and would fail to differentiate
 * a graph through one, where TF and PyTorch give zeros.
 */
function counted(metric: (predictions: tf.Tensor) => tf.Scalar, predictions: tf.Tensor): tf.Scalar {
  const shape = predictions.shape;
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: metric(args[0] as tf.Tensor),
    gradFunc: () => tf.zeros(shape),
  }))(predictions);
}

/** The fraction of rows whose largest prediction is the label's class (tf.metrics.accuracy of the argmax). */
export function accuracy(labels: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => counted((p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), classIds(labels)), 'float32')), predictions));
}

/**
 * The fraction of rows whose label's class is among the k largest predictions
 * (tf.math.in_top_k): fewer than k classes score strictly higher than it, so a
 * tie at the k-th place counts as a hit, as in TF.
 */
export function topKAccuracy(labels: tf.Tensor, predictions: tf.Tensor, k: number): tf.Scalar {
  const classes = predictions.shape[predictions.rank - 1]!;
  return tf.tidy(() =>
    counted((p) => {
      const target = tf.sum(tf.mul(p, tf.oneHot(classIds(labels), classes)), -1, true);
      const higher = tf.sum(tf.cast(tf.greater(p, target), 'int32'), -1);
      return tf.mean(tf.cast(tf.less(higher, k), 'float32'));
    }, predictions),
  );
}

/** mean(|predictions − labels|) over every element. */
export function meanAbsoluteError(labels: Operand, predictions: Operand): tf.Scalar {
  return tf.tidy(() => tf.mean(abs(tf.sub(predictions, labels))));
}

/** sqrt(mean((predictions − labels)²)) over every element. */
export function rootMeanSquaredError(labels: Operand, predictions: Operand): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.mean<tf.Scalar>(tf.squaredDifference(predictions, labels))));
}
