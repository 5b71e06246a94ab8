import { poolOp } from './shared/pool.js';

export const maxPool = poolOp('max_pool', { namespace: 'tf', fn: 'maxPool' }, 'the maximum over each window of NHWC images, per channel (tf.nn.max_pool)');
