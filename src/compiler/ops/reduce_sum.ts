import { reductionOp } from './shared/reduce.js';

export const reduceSum = reductionOp('reduce_sum', 'sum', 'sum over an axis, or over everything (tf.reduce_sum)');
