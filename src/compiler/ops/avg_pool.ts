import { poolOp } from './shared/pool.js';

/** With SAME padding a border window averages only the values inside the image, as TF's avg_pool; nn.avgPool gives that its right gradient. */
export const avgPool = poolOp('avg_pool', { namespace: 'nn', fn: 'avgPool' }, 'the mean over each window of NHWC images, per channel; SAME padding averages only the values inside (tf.nn.avg_pool)');
