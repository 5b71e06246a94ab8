/**
 * graphc's kernels for tfjs's wasm backend: replacements for the stock
 * kernels that are slow where graphc's models need them fast (transposed and
 * batched products, slices, clones, tanh), and the whole-sequence recurrent
 * cells, convolutions and their gradients on graphc's GEMM, attention's core (softmax(Q·Kᵀ·scale + mask)·V
 * per head) and its gradient, Adam's update, the dropout mask drawn in place, and fixes of stock
 * kernels that compute wrong values (MaxPoolGrad, Cast to bool).
 */
import type { tf } from '../../tf.js';
import { adamUpdateConfig } from './adam_update.js';
import { attentionConfig } from './attention.js';
import { attentionGradConfig } from './attention_grad.js';
import { batchMatMulConfig } from './batch_mat_mul.js';
import { castConfig } from './cast.js';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { conv2dBackpropFilterGemmConfig, conv2dBackpropInputConfig, conv2dConfig } from './conv2d_gemm.js';
import { dropoutMaskConfig } from './dropout_mask.js';
import { gruSequenceConfig } from './gru_sequence.js';
import { gruSequenceGradConfig } from './gru_sequence_grad.js';
import { lstmSequenceConfig } from './lstm_sequence.js';
import { lstmSequenceGradConfig } from './lstm_sequence_grad.js';
import { identityConfig } from './identity.js';
import { maxPoolGradConfig } from './max_pool_grad.js';
import { sliceConfig } from './slice.js';
import { splitVConfig } from './split_v.js';
import { tanhConfig } from './tanh.js';
import { unpackConfig } from './unpack.js';
import { unsortedSegmentSumConfig } from './unsorted_segment_sum.js';

export const WASM_KERNELS: readonly tf.KernelConfig[] = [
  batchMatMulConfig,
  castConfig,
  conv2dConfig,
  conv2dBackpropInputConfig,
  conv2dBackpropFilterGemmConfig,
  dropoutMaskConfig,
  identityConfig,
  maxPoolGradConfig,
  sliceConfig,
  splitVConfig,
  tanhConfig,
  unpackConfig,
  gruSequenceConfig,
  gruSequenceGradConfig,
  lstmSequenceConfig,
  lstmSequenceGradConfig,
  adamUpdateConfig,
  attentionConfig,
  attentionGradConfig,
];

/** Kernels tfjs-backend-wasm lacks (registered only where it has none, stock runs included). */
export const WASM_MISSING_KERNELS: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, unsortedSegmentSumConfig];
