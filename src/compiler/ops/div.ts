import { binaryOp } from './shared/elementwise.js';

export const div = binaryOp('div', 'div', 'a / b, elementwise with broadcasting (tf.divide)', {
  allowed: ['float32'],
  example: { op: 'div', inputs: ['total', 'count'] },
});
