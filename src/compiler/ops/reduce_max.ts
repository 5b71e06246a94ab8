import { reductionOp } from './shared/reduce.js';

export const reduceMax = reductionOp('reduce_max', 'max', 'maximum over an axis, or over everything (tf.reduce_max)');
