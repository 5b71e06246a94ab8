import { unaryFloatOp } from './shared/elementwise.js';

export const sigmoid = unaryFloatOp('sigmoid', 'sigmoid', '1 / (1 + exp(−x)), elementwise (tf.sigmoid)', {
  example: { op: 'sigmoid', inputs: ['logits'] },
});
