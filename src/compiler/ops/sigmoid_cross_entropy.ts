import { lossOp } from './shared/loss.js';

export const sigmoidCrossEntropy = lossOp({
  name: 'sigmoid_cross_entropy',
  summary:
    'the logistic loss per element, for binary and multi-label targets: the stable max(x, 0) − x·z + log(1 + exp(−|x|)), then reduced; fused, its gradient sigmoid(x) − z (tf.losses.sigmoid_cross_entropy)',
  example: { op: 'sigmoid_cross_entropy', inputs: ['tags', 'logits'] },
  role: 'logits',
  labels: 'targets',
  fn: 'sigmoidCrossEntropy',
  overClasses: false,
  inputs:
    'labels z (float32 in [0, 1]: 0/1 targets or probabilities), logits x (float32, the same shape; no sigmoid before) and optional weights (float32, broadcast to the per-element losses)',
});
