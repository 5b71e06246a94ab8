import { binaryOp } from './shared/elementwise.js';

export const pow = binaryOp('pow', 'pow', 'a to the power b, elementwise with broadcasting; a negative base to a fractional power is NaN (tf.pow)', {
  allowed: ['float32'],
  example: { op: 'pow', inputs: ['x', 'exponent'] },
});
