import { unaryFloatOp } from './shared/elementwise.js';

export const softplus = unaryFloatOp('softplus', 'softplus', 'log(1 + exp(x)), elementwise, without overflow for large x (tf.nn.softplus)', {
  example: { op: 'softplus', inputs: ['scale_raw'] },
});
