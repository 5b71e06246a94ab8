import type { tf } from '../../tf.js';
import { LSTM_SEQUENCE_GRAD } from '../lstm_sequence.js';
import { lstmSequenceGradKernel } from '../recurrent/lstm_math.js';
import { WasmDevice } from './device.js';

export const lstmSequenceGradConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceGradKernel(new WasmDevice(backend), inputs, attrs),
};
