import type { tf } from '../../tf.js';
import { lstmSequenceGradKernel } from '../recurrent/lstm.js';
import { WasmDevice } from './device.js';

export const lstmSequenceGradConfig: tf.KernelConfig = {
  // The GraphcLstmSequenceGrad contract of kernels/lstm_sequence.ts.
  kernelName: 'GraphcLstmSequenceGrad',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceGradKernel(new WasmDevice(backend), inputs, attrs),
};
