import { unaryFloatOp } from './shared/elementwise.js';

export const exp = unaryFloatOp('exp', 'exp', 'e^x elementwise (tf.exp)');
