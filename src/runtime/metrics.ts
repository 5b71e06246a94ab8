/**
 * Metrics generated code calls; exposed as the namespace `metrics`. Each
 * takes (labels, predictions) in tf.metrics' order and gives a float32 scalar
 * over the batch. Labels for the classification metrics are int32 class ids
 * ([batch]) or one-hot / probability rows ([batch, classes]).
 */
import { tf } from './tf.js';

/** Class ids from int32 ids or from one-hot rows (their argmax). */
function classIds(labels: tf.Tensor): tf.Tensor {
  return labels.dtype === 'int32' ? labels : tf.argMax(labels, -1);
}

/** The fraction of rows whose largest prediction is the label's class (tf.metrics.accuracy of the argmax). */
export function accuracy(labels: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(predictions, -1), classIds(labels)), 'float32')));
}

/**
 * The fraction of rows whose label's class is among the k largest predictions
 * (tf.math.in_top_k): fewer than k classes score strictly higher than it, so a
 * tie at the k-th place counts as a hit, as in TF.
 */
export function topKAccuracy(labels: tf.Tensor, predictions: tf.Tensor, k: number): tf.Scalar {
  return tf.tidy(() => {
    const classes = predictions.shape[predictions.rank - 1]!;
    const target = tf.sum(tf.mul(predictions, tf.oneHot(classIds(labels), classes)), -1, true);
    const higher = tf.sum(tf.cast(tf.greater(predictions, target), 'int32'), -1);
    return tf.mean(tf.cast(tf.less(higher, k), 'float32'));
  });
}

/** mean(|predictions − labels|) over every element. */
export function meanAbsoluteError(labels: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(predictions, labels))));
}

/** sqrt(mean((predictions − labels)²)) over every element. */
export function rootMeanSquaredError(labels: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.mean<tf.Scalar>(tf.squaredDifference(predictions, labels))));
}
