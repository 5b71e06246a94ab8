import type { tf } from '../../tf.js';
import { LSTM_SEQUENCE } from '../lstm_sequence.js';
import { lstmSequenceKernel } from '../recurrent/lstm_math.js';
import { CpuDevice } from './device.js';

export const lstmSequenceConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceKernel(new CpuDevice(backend), inputs, attrs),
};
