import { binaryOp } from './shared/elementwise.js';

export const add = binaryOp('add', 'add', 'a + b, elementwise with broadcasting (tf.add)', {
  example: { op: 'add', inputs: ['product', 'bias'] },
});
