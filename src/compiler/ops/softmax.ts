import { unaryFloatOp } from './shared/elementwise.js';

export const softmax = unaryFloatOp('softmax', 'softmax', 'softmax over the last axis (tf.nn.softmax)');
