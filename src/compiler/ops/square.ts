import { unaryFloatOp } from './shared/elementwise.js';

export const square = unaryFloatOp('square', 'square', 'x², elementwise (tf.square)', {
  example: { op: 'square', inputs: ['error'] },
});
