import type { tf } from '../../tf.js';
import { LSTM_SEQUENCE } from '../lstm_sequence.js';
import { lstmSequenceKernel } from '../recurrent/lstm_math.js';
import { WasmDevice } from './device.js';

export const lstmSequenceConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceKernel(new WasmDevice(backend), inputs, attrs),
};
