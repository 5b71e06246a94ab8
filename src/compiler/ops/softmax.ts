import { softmaxOp } from './shared/softmax.js';

export const softmax = softmaxOp('softmax', 'exp(x) / sum(exp(x)) over an axis, the last by default (tf.nn.softmax)', 'softmax', (x, logSumExp, tsType) => ({
  fn: 'exp',
  args: [`tf.sub<${tsType}>(${x}, ${logSumExp})`],
}));
