import { binaryOp } from './shared/elementwise.js';

export const maximum = binaryOp('maximum', 'maximum', 'the larger of a and b, elementwise with broadcasting (tf.maximum)', {
  example: { op: 'maximum', inputs: ['x', 'floor'] },
});
