import { binaryOp } from './shared/elementwise.js';

export const minimum = binaryOp('minimum', 'minimum', 'the smaller of a and b, elementwise with broadcasting (tf.minimum)', {
  example: { op: 'minimum', inputs: ['x', 'ceiling'] },
});
