import type { tf } from '../../tf.js';
import { GRU_SEQUENCE } from '../gru_sequence.js';
import { gruSequenceKernel } from '../recurrent/gru_math.js';
import { CpuDevice } from './device.js';

export const gruSequenceConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => gruSequenceKernel(new CpuDevice(backend), inputs, attrs),
};
