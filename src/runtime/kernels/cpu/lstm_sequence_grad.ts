import type { tf } from '../../tf.js';
import { lstmSequenceGradKernel } from '../recurrent/lstm.js';
import { CpuDevice } from './device.js';

export const lstmSequenceGradConfig: tf.KernelConfig = {
  // The GraphcLstmSequenceGrad contract of kernels/lstm_sequence.ts.
  kernelName: 'GraphcLstmSequenceGrad',
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceGradKernel(new CpuDevice(backend), inputs, attrs),
};
