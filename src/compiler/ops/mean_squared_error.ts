import { lossOp } from './shared/loss.js';

export const meanSquaredError = lossOp({
  name: 'mean_squared_error',
  summary: 'the squared error (predictions − labels)² per element, then reduced (tf.losses.mean_squared_error)',
  example: { op: 'mean_squared_error', inputs: ['targets', 'predictions'] },
  role: 'predictions',
  labels: 'targets',
  fn: 'meanSquaredError',
  overClasses: false,
  inputs: 'labels (float32 targets), predictions (float32, the same shape) and optional weights (float32, broadcast to the per-element losses)',
});
