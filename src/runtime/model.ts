/**
 * The contract between generated modules and the runtime: what a compiled
 * model exports, and the types its functions take.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayPath } from '../common/fs.js';
import type { DatasetConfig } from './data/config.js';
import type { Initializer } from './init.js';
import type { AdagradConfig } from './optim/adagrad.js';
import type { AdamWConfig } from './optim/adamw.js';
import type { ClipConfig } from './optim/clip.js';
import type { RmsPropConfig } from './optim/rmsprop.js';
import type { LearningRateSchedule } from './optim/schedules.js';
import type { WeightDecayConfig } from './optim/weight_decay.js';
import type { EarlyStoppingConfig } from './monitor.js';
import type { BatchStatistics } from './nn.js';
import type { RandomStream } from './random.js';
import type { tf } from './tf.js';

export type Phase = 'train' | 'eval';

/**
 * One batch of the dataset, as tensors. Targets and lengths are there when
 * the dataset has them; the compiler lets a spec feed only what its dataset has.
 */
export interface Batch {
  /** [size, ...example shape] float32, or int32 (the generated feeds give it the placeholder's rank). */
  readonly features: tf.Tensor;
  /** The features of an image set ([size, 784] for MNIST): the same tensor as `features`. */
  readonly images: tf.Tensor2D;
  /** [size, classes] one-hot float32 ([size, 0] for a regression dataset, which has no classes). */
  readonly labels: tf.Tensor2D;
  /** [size] int32 class ids (-1 for a regression dataset). */
  readonly label_ids: tf.Tensor1D;
  /** A regression dataset's float32 targets: [size] for one, [size, k] for several. */
  readonly targets?: tf.Tensor;
  /** [size] int32 per-example lengths. */
  readonly lengths?: tf.Tensor1D;
  readonly size: number;
}

/** What a forward pass needs beside variables and feeds. */
export interface ForwardContext {
  /** Seeds for dropout masks: one draw per dropout application, in graph order. */
  readonly random: RandomStream;
  /**
   * Index of this batch's first example in the whole batch, when a batch is
   * split across workers (default 0): dropout masks are drawn per example, so
   * every split sees the masks of the whole batch.
   */
  readonly exampleOffset?: number;
  /** The phase of the pass, which batch_norm follows unless a placeholder says; absent: 'eval' (inference). */
  readonly phase?: Phase;
  /**
   * Where a training step's batch_norm nodes leave their batch statistics;
   * the session updates the moving averages from them after the step (the
   * forward pass itself updates nothing). Absent: nothing is recorded.
   */
  readonly statistics?: BatchStatistics[];
  /** The training split's balanced class weights (losses.balancedClassWeights), for losses with `class_weights: balanced`. */
  readonly classWeights?: readonly number[];
}

/** Names of the nodes whose value is a scalar tensor. */
export type ScalarNode<N> = { [K in keyof N]: N[K] extends tf.Scalar ? K : never }[keyof N] & string;

export type OptimizerConfig =
  | { readonly type: 'adam'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly type: 'sgd'; readonly learningRate: number; readonly momentum?: number; readonly nesterov?: boolean }
  | AdamWConfig
  | RmsPropConfig
  | AdagradConfig;

export interface Schedule<N> {
  readonly loss: ScalarNode<N>;
  /** Metric name → scalar node, reported for the train batch and the test set. */
  readonly metrics: Readonly<Record<string, ScalarNode<N>>>;
  readonly optimizer: OptimizerConfig;
  /** How the learning rate changes with the step (optim/schedules.ts); absent: constant. */
  readonly learningRateSchedule?: LearningRateSchedule;
  /** Gradient clipping (optim/clip.ts); absent: none. */
  readonly clip?: ClipConfig;
  /** L2 on the variables whose names match (optim/weight_decay.ts); absent: none. */
  readonly weightDecay?: WeightDecayConfig;
  /** Stop when a metric stops improving, keeping the best checkpoint (monitor.ts); absent: run every step. */
  readonly earlyStopping?: EarlyStoppingConfig;
  /** A loss weighs classes by the training split's counts (`class_weights: balanced`): the trainer counts them; absent: no loss does. */
  readonly classWeights?: 'balanced';
  /** Gradient accumulation: each batch computed as this many micro-batches; absent: 1. */
  readonly microBatches?: number;
  readonly dataset: DatasetConfig;
  readonly steps: number;
  readonly batchSize: number;
  readonly evaluation: { readonly every: number; readonly batches: number; readonly batchSize: number };
  /** The line printed after each evaluation (see common/log-template.ts). */
  readonly log: string;
}

/** The compiler's estimate of training memory (compiler/2-ir/memory.ts), which the trainer checks before step 1. */
export interface ModelMemory {
  readonly parameters: number;
  /** Values of non-trainable state (moving statistics); absent when none. */
  readonly state?: number;
  /** Parameters, gradients and optimizer slots (and the state), in bytes. */
  readonly modelBytes: number;
  /** Activations and their gradients for one example, in bytes. */
  readonly bytesPerExample: number;
  /** The param whose value sizes the model most (halving it saves the most), when one does. */
  readonly sizedBy?: { readonly param: string; readonly value: number };
}

export interface CompiledModel<F, V, N> {
  readonly name: string;
  /** The spec it was compiled from: its path relative to the module's folder, and the SHA-256 of its text. */
  readonly spec?: ModuleSpec;
  /** The spec, as a path from the working directory it was compiled in: what modules compiled before `spec` record instead. */
  readonly source?: string;
  /** Where the module itself is (worker threads load it from there); absent in modules compiled before it was added. */
  readonly url?: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  createVariables(init: Initializer): V;
  forward(vars: V, feeds: F, ctx: ForwardContext): N;
  makeFeeds(phase: Phase, batch: Batch): F;
  readonly schedule: Schedule<N>;
  /** Absent in modules compiled before graphc estimated memory. */
  readonly memory?: ModelMemory;
}

/** The spec a module records. */
export interface ModuleSpec {
  /** Relative to the module's folder, with forward slashes. */
  readonly path: string;
  readonly sha256: string;
}

/**
 * The spec a model was compiled from, as a path from the working directory
 * (absolute when outside it): where its data files are found, and what run
 * folders name.
 */
export function specFile(model: { readonly spec?: ModuleSpec; readonly source?: string; readonly url?: string }): string {
  if (model.spec && model.url?.startsWith('file:')) return displayPath(resolve(dirname(fileURLToPath(model.url)), model.spec.path));
  return model.source ?? model.spec?.path ?? '';
}

/** A compiled model whose feed, variable and node types are not known statically (e.g. loaded by the CLI). */
export type AnyCompiledModel = CompiledModel<unknown, unknown, Record<string, tf.Tensor>>;
