import { metricOp } from './shared/metric.js';

export const accuracy = metricOp({
  name: 'accuracy',
  summary: 'the fraction of examples whose largest prediction is the label\'s class, a float32 scalar (tf.metrics.accuracy of the argmax); its gradient is zero',
  example: { op: 'accuracy', inputs: ['y', 'logits'] },
  inputs: 'labels (int32 class ids [batch, …] or float32 one-hot rows [batch, …, classes]), predictions (float32 logits or probabilities [batch, …, classes])',
  classification: true,
  fn: 'accuracy',
});
