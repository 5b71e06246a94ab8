/** The op registry: one line per op. Adding an op touches its own file and this list. */
import { abs } from './abs.js';
import { accuracy } from './accuracy.js';
import { add } from './add.js';
import { argmax } from './argmax.js';
import { argmin } from './argmin.js';
import { avgPool } from './avg_pool.js';
import { batchNorm } from './batch_norm.js';
import { cast } from './cast.js';
import { clipByValue } from './clip_by_value.js';
import { concat } from './concat.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { div } from './div.js';
import { dropout } from './dropout.js';
import { dynamicRnn } from './dynamic_rnn.js';
import { elu } from './elu.js';
import { embedding } from './embedding.js';
import { equal } from './equal.js';
import { exp } from './exp.js';
import { expandDims } from './expand_dims.js';
import { gather } from './gather.js';
import { gelu } from './gelu.js';
import { globalAveragePool } from './global_average_pool.js';
import { globalMaxPool } from './global_max_pool.js';
import { huber } from './huber.js';
import { layerNorm } from './layer_norm.js';
import { leakyRelu } from './leaky_relu.js';
import { log } from './log.js';
import { logSoftmax } from './log_softmax.js';
import { logsumexp } from './logsumexp.js';
import { mae } from './mae.js';
import { matmul } from './matmul.js';
import { maxPool } from './max_pool.js';
import { maximum } from './maximum.js';
import { meanAbsoluteError } from './mean_absolute_error.js';
import { meanSquaredError } from './mean_squared_error.js';
import { minimum } from './minimum.js';
import { mul } from './mul.js';
import { multiHeadAttention } from './multi_head_attention.js';
import { neg } from './neg.js';
import { oneHot } from './one_hot.js';
import type { OpDefinition } from './op.js';
import { pad } from './pad.js';
import { pow } from './pow.js';
import { reduceMax } from './reduce_max.js';
import { reduceMean } from './reduce_mean.js';
import { reduceMin } from './reduce_min.js';
import { reduceSum } from './reduce_sum.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { rmse } from './rmse.js';
import { rsqrt } from './rsqrt.js';
import { sigmoid } from './sigmoid.js';
import { sigmoidCrossEntropy } from './sigmoid_cross_entropy.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { softmaxCrossEntropyWithLogits } from './softmax_cross_entropy_with_logits.js';
import { softplus } from './softplus.js';
import { sparseSoftmaxCrossEntropy } from './sparse_softmax_cross_entropy.js';
import { split } from './split.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { squeeze } from './squeeze.js';
import { stack } from './stack.js';
import { stackBidirectionalRnn } from './stack_bidirectional_rnn.js';
import { stridedSlice } from './strided_slice.js';
import { sub } from './sub.js';
import { take } from './take.js';
import { tanh } from './tanh.js';
import { tile } from './tile.js';
import { topKAccuracy } from './top_k_accuracy.js';
import { transpose } from './transpose.js';
import { unstack } from './unstack.js';
import { variable } from './variable.js';
import { where } from './where.js';

export const OPS: readonly OpDefinition[] = [
  reshape,
  stackBidirectionalRnn,
  reduceMean,
  reduceSum,
  variable,
  matmul,
  dense,
  add,
  sub,
  mul,
  div,
  neg,
  log,
  exp,
  softmax,
  argmax,
  equal,
  cast,
  concat,
  dynamicRnn,
  take,
  conv2d,
  maxPool,
  relu,
  dropout,
  sigmoid,
  tanh,
  gelu,
  leakyRelu,
  elu,
  softplus,
  sqrt,
  rsqrt,
  square,
  abs,
  pow,
  maximum,
  minimum,
  clipByValue,
  where,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropy,
  sigmoidCrossEntropy,
  meanSquaredError,
  meanAbsoluteError,
  huber,
  accuracy,
  topKAccuracy,
  mae,
  rmse,
  embedding,
  layerNorm,
  multiHeadAttention,
  transpose,
  expandDims,
  squeeze,
  slice,
  stridedSlice,
  gather,
  tile,
  stack,
  unstack,
  split,
  pad,
  oneHot,
  reduceMax,
  reduceMin,
  argmin,
  logsumexp,
  logSoftmax,
  batchNorm,
  conv1d,
  avgPool,
  globalAveragePool,
  globalMaxPool,
];

const byName = new Map(OPS.map((op) => [op.name, op]));

export function findOp(name: string): OpDefinition | undefined {
  return byName.get(name);
}

export function opNames(): string[] {
  return OPS.map((op) => op.name);
}

export type { OpDefinition } from './op.js';
