import { unaryFloatOp } from './shared/elementwise.js';

export const rsqrt = unaryFloatOp('rsqrt', 'rsqrt', '1 / sqrt(x), elementwise (tf.math.rsqrt)', {
  example: { op: 'rsqrt', inputs: ['variance'] },
});
