import { binaryOp } from './shared/elementwise.js';

export const sub = binaryOp('sub', 'sub', 'a - b, elementwise with broadcasting (tf.subtract)', {
  example: { op: 'sub', inputs: ['predictions', 'targets'] },
});
