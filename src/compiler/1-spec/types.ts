/**
 * The typed form of a spec after validation and param substitution. The
 * resolved JSON Schema guarantees these shapes; attribute values of nodes
 * stay JSON and are read by each op's own file.
 */
import type { FeatureSelection } from '../../common/data/columns.js';
import type { DataFormat, DatasetField, DatasetName } from '../types/datasets.js';
import type { DType } from '../types/tensor.js';
import type { ParamValue } from './expressions.js';
import type { JsonValue } from '../types/json.js';

export interface PlaceholderSpec {
  readonly dtype: DType;
  readonly shape: readonly (number | null)[];
  /** Fed but read by no node on purpose (the reference notebook feeds batch_size and never reads it): no GC405. */
  readonly unused?: boolean;
}

export interface NodeSpec {
  readonly op: string;
  readonly inputs?: string[];
  readonly [attribute: string]: JsonValue | undefined;
}

export type FeedValue = number | boolean | `batch.${DatasetField}`;

/** A split's files: one table (csv, parquet), or arrays by role (npy: features + labels; idx: images + labels). */
export type DataFiles = string | { readonly features: string; readonly labels: string; readonly lengths?: string } | { readonly images: string; readonly labels: string };

/** `train.dataset` in its object form: files of one format, paths relative to the spec file. */
export interface FileDatasetSpec {
  readonly format: DataFormat;
  readonly train: DataFiles;
  readonly test: DataFiles;
  /** The first N training examples held out as the validation split (default 0). */
  readonly validation?: number;
  readonly features?: FeatureSelection;
  /**
   * column: the label's column (tables), columns: several target columns;
   * classes: the class names, in id order, or how many integer classes. No
   * classes: the label is a regression target (batch.targets).
   */
  readonly label: { readonly column?: string; readonly columns?: readonly string[]; readonly classes?: readonly string[] | number };
  /** Multiplies every feature: a number or a fraction such as '1/255'. */
  readonly scale?: number | string;
  /** The features' dtype: int32 for ids and counts (default float32). */
  readonly feature_dtype?: 'float32' | 'int32';
  /** A table's column of int32 per-example lengths, fed as batch.lengths (npy: a split's `lengths` file). */
  readonly lengths?: { readonly column: string };
  /** Sliding windows over the rows of each split's file: `length` rows of features, the label `horizon` rows after the last. */
  readonly window?: { readonly length: number; readonly horizon?: number; readonly stride?: number };
}

export type DatasetSpec = DatasetName | FileDatasetSpec;

/** tf.train.AdamOptimizer's defaults: what the schema documents and the module gets when a spec leaves them out. */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** torch.optim.AdamW's defaults. */
export const ADAMW_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.01 } as const;
/** tf.train.RMSPropOptimizer's defaults. */
export const RMSPROP_DEFAULTS = { decay: 0.9, momentum: 0, epsilon: 1e-10, centered: false } as const;
/** tf.train.AdagradOptimizer's default. */
export const ADAGRAD_DEFAULTS = { initial_accumulator_value: 0.1 } as const;
export const COSINE_DEFAULTS = { warmup_steps: 0, alpha: 0 } as const;
/** torch.optim.lr_scheduler.ReduceLROnPlateau's defaults (threshold_mode 'abs', so min_delta 0). */
export const PLATEAU_DEFAULTS = { factor: 0.1, patience: 10, min_delta: 0, cooldown: 0, min_lr: 0 } as const;
export const EARLY_STOPPING_DEFAULTS = { min_delta: 0 } as const;
/** Every trainable variable but the biases and the norms' scales and offsets (batch_norm, layer_norm). */
export const WEIGHT_DECAY_DEFAULTS = { variables: ['*'], exclude: ['*bias', '*/gamma', '*/beta'] } as const;
export const MONITOR_MODES = ['min', 'max'] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];

export type OptimizerSpec =
  | { readonly type: 'adam'; readonly learning_rate: number; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly type: 'sgd'; readonly learning_rate: number; readonly momentum?: number; readonly nesterov?: boolean }
  | { readonly type: 'adamw'; readonly learning_rate: number; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number; readonly weight_decay?: number }
  | { readonly type: 'rmsprop'; readonly learning_rate: number; readonly decay?: number; readonly momentum?: number; readonly epsilon?: number; readonly centered?: boolean }
  | { readonly type: 'adagrad'; readonly learning_rate: number; readonly initial_accumulator_value?: number };

export const LR_SCHEDULES = ['constant', 'exponential_decay', 'piecewise_constant', 'cosine_decay', 'reduce_on_plateau'] as const;

/** One object for every type, so a $param can switch the type; each type reads its own keys. */
export interface LearningRateScheduleSpec {
  readonly type: (typeof LR_SCHEDULES)[number];
  readonly decay_steps?: number;
  readonly decay_rate?: number;
  readonly staircase?: boolean;
  readonly boundaries?: readonly number[];
  readonly values?: readonly number[];
  readonly warmup_steps?: number;
  readonly alpha?: number;
  readonly monitor?: string;
  readonly mode?: MonitorMode;
  readonly factor?: number;
  readonly patience?: number;
  readonly min_delta?: number;
  readonly cooldown?: number;
  readonly min_lr?: number;
}

export interface WeightDecaySpec {
  readonly rate: number;
  readonly variables?: readonly string[];
  readonly exclude?: readonly string[];
}

export interface EarlyStoppingSpec {
  readonly monitor: string;
  readonly mode?: MonitorMode;
  readonly patience: number;
  readonly min_delta?: number;
}

export type ClipSpec = { readonly global_norm: number } | { readonly value: number };

export interface TrainSpec {
  readonly loss: string;
  readonly optimizer: OptimizerSpec;
  readonly learning_rate_schedule?: LearningRateScheduleSpec;
  readonly clip?: ClipSpec;
  readonly weight_decay?: WeightDecaySpec;
  readonly early_stopping?: EarlyStoppingSpec;
  readonly micro_batches?: number;
  readonly dataset: DatasetSpec;
  readonly steps: number;
  readonly batch_size: number;
  readonly feeds: { readonly train: Readonly<Record<string, FeedValue>>; readonly eval: Readonly<Record<string, FeedValue>> };
  readonly eval: { readonly every: number; readonly batches: number; readonly batch_size?: number };
  readonly metrics: Readonly<Record<string, string>>;
  readonly log?: string;
}

export interface Spec {
  readonly name: string;
  readonly description?: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly placeholders: Readonly<Record<string, PlaceholderSpec>>;
  readonly nodes: Readonly<Record<string, NodeSpec>>;
  readonly train: TrainSpec;
}

/** The log line the reference notebook prints after each evaluation. */
export const SEED_LOG_LINE =
  'step {step}, train cost={train.cost:.6f}, acc={train.acc:.6f}; test cost={test.cost:.6f}, acc={test.acc:.6f}; pass {elapsed:.3f}s';
