import { reductionOp } from './shared/reduce.js';

export const reduceMin = reductionOp('reduce_min', 'min', 'minimum over an axis, or over everything (tf.reduce_min)');
