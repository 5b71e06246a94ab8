import { metricOp } from './shared/metric.js';

export const mae = metricOp({
  name: 'mae',
  summary: 'the mean absolute error mean(|predictions − labels|) over every element, a float32 scalar (tf.metrics.mean_absolute_error)',
  example: { op: 'mae', inputs: ['targets', 'predictions'] },
  inputs: 'labels (float32 targets), predictions (float32, the same shape)',
  classification: false,
  fn: 'meanAbsoluteError',
});
