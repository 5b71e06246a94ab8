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
export type DataFiles = string | { readonly features: string; readonly labels: string } | { readonly images: string; readonly labels: string };

/** `train.dataset` in its object form: files of one format, paths relative to the spec file. */
export interface FileDatasetSpec {
  readonly format: DataFormat;
  readonly train: DataFiles;
  readonly test: DataFiles;
  /** The first N training examples held out as the validation split (default 0). */
  readonly validation?: number;
  readonly features?: FeatureSelection;
  /** column: the label's column (tables); classes: the class names, in id order, or how many integer classes. */
  readonly label: { readonly column?: string; readonly classes: readonly string[] | number };
  /** Multiplies every feature: a number or a fraction such as '1/255'. */
  readonly scale?: number | string;
}

export type DatasetSpec = DatasetName | FileDatasetSpec;

/** tf.train.AdamOptimizer's defaults: what the schema documents and the module gets when a spec leaves them out. */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export type OptimizerSpec =
  | { readonly type: 'adam'; readonly learning_rate: number; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly type: 'sgd'; readonly learning_rate: number };

export interface TrainSpec {
  readonly loss: string;
  readonly optimizer: OptimizerSpec;
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
