import { lossOp } from './shared/loss.js';

export const sparseSoftmaxCrossEntropy = lossOp({
  name: 'sparse_softmax_cross_entropy',
  summary:
    'the cross-entropy −log softmax(logits)[label] with int32 class ids, per example, then reduced; fused and stable through log-sum-exp, its gradient softmax − one_hot(labels) (tf.losses.sparse_softmax_cross_entropy)',
  example: { op: 'sparse_softmax_cross_entropy', inputs: ['label_ids', 'logits'] },
  role: 'logits',
  labels: 'class_ids',
  fn: 'sparseSoftmaxCrossEntropy',
  overClasses: true,
  classWeights: true,
  inputs:
    'labels (int32 class ids in [0, classes), [batch, …]; an id outside that range is not checked and gets a loss and gradient of 0, as one_hot gives it no class), logits (float32 [batch, …, classes]; unnormalised) and optional weights (float32, broadcast to the per-example losses [batch, …])',
});
