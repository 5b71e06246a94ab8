import { lossOp } from './shared/loss.js';

export const softmaxCrossEntropyWithLogits = lossOp({
  name: 'softmax_cross_entropy_with_logits',
  summary:
    'the cross-entropy −Σ labels·log softmax(logits) over the last axis, per example, then reduced; fused and stable through log-sum-exp, its gradient softmax − labels (tf.nn.softmax_cross_entropy_with_logits_v2, tf.losses.softmax_cross_entropy)',
  example: { op: 'softmax_cross_entropy_with_logits', inputs: ['y', 'logits'] },
  role: 'logits',
  labels: 'probabilities',
  fn: 'softmaxCrossEntropyWithLogits',
  overClasses: true,
  classWeights: true,
  inputs:
    'labels (float32 one-hot rows or probabilities), logits (float32 [batch, …, classes], the same shape; unnormalised: no softmax before) and optional weights (float32, broadcast to the per-example losses [batch, …])',
});
