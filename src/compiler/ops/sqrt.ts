import { unaryFloatOp } from './shared/elementwise.js';

export const sqrt = unaryFloatOp('sqrt', 'sqrt', 'the square root, elementwise; NaN below 0 (tf.sqrt)', {
  example: { op: 'sqrt', inputs: ['variance'] },
});
