/** The op registry: one line per op. Adding an op touches its own file and this list. */
import { add } from './add.js';
import { argmax } from './argmax.js';
import { avgPool } from './avg_pool.js';
import { batchNorm } from './batch_norm.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { div } from './div.js';
import { dropout } from './dropout.js';
import { dynamicRnn } from './dynamic_rnn.js';
import { equal } from './equal.js';
import { exp } from './exp.js';
import { globalAveragePool } from './global_average_pool.js';
import { globalMaxPool } from './global_max_pool.js';
import { log } from './log.js';
import { matmul } from './matmul.js';
import { maxPool } from './max_pool.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import type { OpDefinition } from './op.js';
import { reduceMean } from './reduce_mean.js';
import { reduceSum } from './reduce_sum.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import { stackBidirectionalRnn } from './stack_bidirectional_rnn.js';
import { sub } from './sub.js';
import { take } from './take.js';
import { variable } from './variable.js';

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
