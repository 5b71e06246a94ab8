import type { tf } from '../../tf.js';
import { GRU_SEQUENCE_GRAD } from '../gru_sequence.js';
import { gruSequenceGradKernel } from '../recurrent/gru_math.js';
import { WasmDevice } from './device.js';

export const gruSequenceGradConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => gruSequenceGradKernel(new WasmDevice(backend), inputs, attrs),
};
