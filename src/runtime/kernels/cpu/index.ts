/** graphc's kernels for tfjs's cpu backend: the whole-sequence recurrent cells (GRU, LSTM). */
import type { tf } from '../../tf.js';
import { gruSequenceConfig } from './gru_sequence.js';
import { gruSequenceGradConfig } from './gru_sequence_grad.js';
import { lstmSequenceConfig } from './lstm_sequence.js';
import { lstmSequenceGradConfig } from './lstm_sequence_grad.js';

export const CPU_KERNELS: readonly tf.KernelConfig[] = [gruSequenceConfig, gruSequenceGradConfig, lstmSequenceConfig, lstmSequenceGradConfig];
