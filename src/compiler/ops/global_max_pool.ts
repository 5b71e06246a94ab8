import { globalPoolOp } from './shared/global_pool.js';

export const globalMaxPool = globalPoolOp('global_max_pool', 'max', 'the maximum over the spatial axes of NWC or NHWC tensors, per channel (Keras GlobalMaxPooling1D/2D)');
