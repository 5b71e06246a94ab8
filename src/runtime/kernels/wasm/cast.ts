import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { identityConfig } from './identity.js';

/** Cast to the dtype the input already has is Identity (no copy); other casts convert as tfjs does. */
export const castConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    if (dtype === args.inputs['x']!.dtype) return identityConfig.kernelFunc(args);
    return callStock(tf.Cast, 'wasm', args);
  },
};
