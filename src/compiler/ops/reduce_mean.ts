import { reductionOp } from './shared/reduce.js';

export const reduceMean = reductionOp('reduce_mean', 'mean', 'mean over an axis, or over everything (tf.reduce_mean)');
