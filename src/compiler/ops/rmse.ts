import { metricOp } from './shared/metric.js';

export const rmse = metricOp({
  name: 'rmse',
  summary: 'the root mean squared error sqrt(mean((predictions − labels)²)) over every element, a float32 scalar (tf.metrics.root_mean_squared_error)',
  example: { op: 'rmse', inputs: ['targets', 'predictions'] },
  inputs: 'labels (float32 targets), predictions (float32, the same shape)',
  classification: false,
  fn: 'rootMeanSquaredError',
});
