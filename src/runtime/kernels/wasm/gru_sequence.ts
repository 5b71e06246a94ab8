import type { tf } from '../../tf.js';
import { GRU_SEQUENCE } from '../gru_sequence.js';
import { gruSequenceKernel } from '../recurrent/gru_math.js';
import { WasmDevice } from './device.js';

export const gruSequenceConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => gruSequenceKernel(new WasmDevice(backend), inputs, attrs),
};
