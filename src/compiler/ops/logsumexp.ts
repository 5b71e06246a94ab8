import { reductionOp } from './shared/reduce.js';

export const logsumexp = reductionOp('logsumexp', 'logSumExp', 'log(sum(exp(x))) over an axis, or over everything, computed stably (tf.reduce_logsumexp)', { floatOnly: true });
