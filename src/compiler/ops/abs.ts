import { unaryFloatOp } from './shared/elementwise.js';

export const abs = unaryFloatOp('abs', 'abs', '|x|, elementwise; its gradient at 0 is 0 (tf.abs)', {
  example: { op: 'abs', inputs: ['error'] },
});
