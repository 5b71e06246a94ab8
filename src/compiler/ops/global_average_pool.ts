import { globalPoolOp } from './shared/global_pool.js';

export const globalAveragePool = globalPoolOp(
  'global_average_pool',
  'mean',
  'the mean over the spatial axes of NWC or NHWC tensors, per channel (Keras GlobalAveragePooling1D/2D)',
);
