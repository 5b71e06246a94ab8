import type { tf } from '../../tf.js';
import { LSTM_SEQUENCE_GRAD } from '../lstm_sequence.js';
import { lstmSequenceGradKernel } from '../recurrent/lstm_math.js';
import { CpuDevice } from './device.js';

export const lstmSequenceGradConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceGradKernel(new CpuDevice(backend), inputs, attrs),
};
