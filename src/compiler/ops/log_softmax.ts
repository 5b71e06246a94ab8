import { softmaxOp } from './shared/softmax.js';

export const logSoftmax = softmaxOp('log_softmax', 'x − logsumexp(x) over an axis, the last by default: the log of softmax, computed stably (tf.nn.log_softmax)', 'logSoftmax', (x, logSumExp) => ({
  fn: 'sub',
  args: [x, logSumExp],
}));
