/** The IR: typed placeholders and nodes in topological order, and the checked training schedule. */
import type { OpDefinition, VariableDeclaration, Attrs } from '../ops/op.js';
import type { ParamValue } from '../1-spec/expressions.js';
import type { DatasetSpec, FeedValue, OptimizerSpec } from '../1-spec/types.js';
import type { IrClip, IrEarlyStopping, IrLearningRateSchedule, IrWeightDecay } from './train-knobs.js';
import type { TensorType } from '../types/tensor.js';

export interface IrPlaceholder {
  readonly name: string;
  readonly type: TensorType;
  /** Used by at least one node. */
  readonly used: boolean;
}

export interface IrNode {
  readonly name: string;
  readonly op: OpDefinition;
  readonly attrs: Attrs;
  /** The references as the spec writes them: names, or `name:i` for an output of a multi-output node. */
  readonly inputs: readonly string[];
  /** The type of each input, resolved. */
  readonly inputTypes: readonly TensorType[];
  /** The node's type; a multi-output node's first output's. */
  readonly type: TensorType;
  /** A multi-output node's types (split, unstack), one per output; absent for a single-output node. */
  readonly outputs?: readonly TensorType[];
  readonly variables?: VariableDeclaration;
}

export interface IrTrain {
  readonly loss: string;
  readonly metrics: readonly { readonly name: string; readonly node: string }[];
  readonly optimizer: OptimizerSpec;
  /** Absent: a constant rate. */
  readonly learningRateSchedule?: IrLearningRateSchedule;
  /** Absent: no clipping. */
  readonly clip?: IrClip;
  /** Absent: no weight decay. */
  readonly weightDecay?: IrWeightDecay;
  /** Absent: the run goes to its last step. */
  readonly earlyStopping?: IrEarlyStopping;
  /** Gradient accumulation: micro-batches per batch; absent: 1. */
  readonly microBatches?: number;
  /** A loss has `class_weights: balanced`: the trainer counts the training split's classes; absent: none has. */
  readonly classWeights?: 'balanced';
  readonly dataset: DatasetSpec;
  readonly steps: number;
  readonly batchSize: number;
  readonly feeds: { readonly train: Readonly<Record<string, FeedValue>>; readonly eval: Readonly<Record<string, FeedValue>> };
  readonly evaluation: { readonly every: number; readonly batches: number; readonly batchSize: number };
  /** The log line's template, its fields checked against the metrics (the trainer formats it: common/log-template.ts). */
  readonly log: string;
}

export interface IrGraph {
  readonly name: string;
  readonly description?: string;
  /** The spec file, as given on the command line. */
  readonly file: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly placeholders: readonly IrPlaceholder[];
  /** Topologically ordered; among independent nodes, spec order. */
  readonly nodes: readonly IrNode[];
  readonly train: IrTrain;
}
