import { unaryFloatOp } from './shared/elementwise.js';

export const tanh = unaryFloatOp('tanh', 'tanh', 'the hyperbolic tangent, elementwise (tf.tanh)', {
  example: { op: 'tanh', inputs: ['hidden'] },
});
