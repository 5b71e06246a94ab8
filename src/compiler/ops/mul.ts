import { binaryOp } from './shared/elementwise.js';

export const mul = binaryOp('mul', 'mul', 'a * b, elementwise with broadcasting (tf.multiply)', {
  example: { op: 'mul', inputs: ['labels', 'log_probs'] },
});
