/** graphc's kernels for tfjs's cpu backend: the whole-sequence recurrent cells. */
import type { tf } from '../../tf.js';
import { registerKernels } from '../registry.js';
import { gruSequenceConfig } from './gru_sequence.js';
import { gruSequenceGradConfig } from './gru_sequence_grad.js';

export const CPU_KERNELS: readonly tf.KernelConfig[] = [gruSequenceConfig, gruSequenceGradConfig];

export function registerCpuKernels(): void {
  registerKernels(CPU_KERNELS);
}
