import type { tf } from '../../tf.js';
import { lstmSequenceKernel } from '../recurrent/lstm.js';
import { CpuDevice } from './device.js';

export const lstmSequenceConfig: tf.KernelConfig = {
  // The GraphcLstmSequence contract of kernels/lstm_sequence.ts.
  kernelName: 'GraphcLstmSequence',
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => lstmSequenceKernel(new CpuDevice(backend), inputs, attrs),
};
