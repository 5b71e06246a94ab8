import { unaryFloatOp } from './shared/elementwise.js';

export const log = unaryFloatOp('log', 'log', 'natural logarithm elementwise (tf.log)');
