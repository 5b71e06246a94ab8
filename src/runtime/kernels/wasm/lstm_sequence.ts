import type { tf } from '../../tf.js';
import { lstmSequenceKernel } from '../recurrent/lstm.js';
import { WasmDevice } from './device.js';

export const lstmSequenceConfig: tf.KernelConfig = {
  // The GraphcLstmSequence contract of kernels/lstm_sequence.ts.
  kernelName: 'GraphcLstmSequence',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceKernel(new WasmDevice(backend), inputs, attrs),
};
