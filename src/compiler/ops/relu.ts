import { unaryFloatOp } from './shared/elementwise.js';

export const relu = unaryFloatOp('relu', 'relu', 'max(x, 0), elementwise (tf.nn.relu)');
