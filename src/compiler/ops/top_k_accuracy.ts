import { metricOp } from './shared/metric.js';

export const TOP_K_DEFAULT = 5;

export const topKAccuracy = metricOp({
  name: 'top_k_accuracy',
  summary: 'the fraction of examples whose label\'s class is among the k largest predictions, a tie at the k-th place counting as in, a float32 scalar (tf.math.in_top_k); its gradient is zero',
  example: { op: 'top_k_accuracy', inputs: ['label_ids', 'logits'], k: 3 },
  inputs: 'labels (int32 class ids [batch, …] or float32 one-hot rows [batch, …, classes]), predictions (float32 logits or probabilities [batch, …, classes])',
  classification: true,
  fn: 'topKAccuracy',
  attributes: (b) => ({ k: b.integer({ description: 'how many of the largest predictions count', minimum: 1, default: TOP_K_DEFAULT, examples: [3] }) }),
  check: (ctx, predictions) => {
    const k = (ctx.attrs['k'] as number | undefined) ?? TOP_K_DEFAULT;
    const classes = predictions.at(-1);
    if (typeof classes === 'number' && k > classes) return ctx.error('GC523', { op: 'top_k_accuracy', k, classes, input: ctx.inputs[1]!.name }, 'k') ?? false;
    return true;
  },
  args: (ctx) => [(ctx.attrs['k'] as number | undefined) ?? TOP_K_DEFAULT],
});
