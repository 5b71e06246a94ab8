import { tf } from '../../tf.js';

/**
 * Identity without a copy: the output shares its input's memory, as on the
 * cpu backend. tfjs clones every tensor it saves for backprop through this
 * kernel, so the stock memcpy ran for every saved activation.
 */
export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs['x']!;
    (backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
