import { unaryFloatOp } from './shared/elementwise.js';

export const elu = unaryFloatOp('elu', 'elu', 'x where x > 0, exp(x) − 1 elsewhere, elementwise (tf.nn.elu)', {
  example: { op: 'elu', inputs: ['hidden'] },
});
