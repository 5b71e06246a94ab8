import { lossOp } from './shared/loss.js';

export const meanAbsoluteError = lossOp({
  name: 'mean_absolute_error',
  summary: 'the absolute error |predictions − labels| per element, then reduced; its gradient at 0 is 0 (tf.losses.absolute_difference)',
  example: { op: 'mean_absolute_error', inputs: ['targets', 'predictions'] },
  role: 'predictions',
  labels: 'targets',
  fn: 'meanAbsoluteError',
  overClasses: false,
  inputs: 'labels (float32 targets), predictions (float32, the same shape) and optional weights (float32, broadcast to the per-element losses)',
});
