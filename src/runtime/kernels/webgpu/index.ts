/** graphc's kernels for tfjs's webgpu backend: the whole-sequence recurrent cells, attention's core and its gradient, Adam's update, dropout's mask on the GPU. */
import type { tf } from '../../tf.js';
import { adamUpdateConfig } from './adam_update.js';
import { attentionConfig } from './attention.js';
import { attentionGradConfig } from './attention_grad.js';
import { dropoutConfig } from './dropout.js';
import { gruSequenceConfig } from './gru_sequence.js';
import { gruSequenceGradConfig } from './gru_sequence_grad.js';
import { lstmSequenceConfig } from './lstm_sequence.js';
import { lstmSequenceGradConfig } from './lstm_sequence_grad.js';

export const WEBGPU_KERNELS: readonly tf.KernelConfig[] = [
  gruSequenceConfig,
  gruSequenceGradConfig,
  lstmSequenceConfig,
  lstmSequenceGradConfig,
  adamUpdateConfig,
  dropoutConfig,
  attentionConfig,
  attentionGradConfig,
];
