import type { tf } from '../../tf.js';
import { GRU_SEQUENCE_GRAD } from '../gru_sequence.js';
import { gruSequenceGradKernel } from '../recurrent/gru_math.js';
import { CpuDevice } from './device.js';

export const gruSequenceGradConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE_GRAD,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => gruSequenceGradKernel(new CpuDevice(backend), inputs, attrs),
};
