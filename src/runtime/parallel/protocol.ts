/**
 * What the main thread and its training workers exchange. Weights and
 * gradients are big and go through SharedArrayBuffers (one weights buffer;
 * one gradient region per worker); messages carry the batch rows, the
 * dropout stream's state and the metrics.
 */
import type { BackendName } from '../backends.js';
import type { ExampleShape, FeatureArray } from '../data/dataset.js';
import type { WholeBatch } from '../losses.js';
import type { RandomState } from '../random.js';
import type { StatisticsValues } from '../session.js';

export interface WorkerInit {
  /** The generated module to train (file URL). */
  readonly moduleUrl: string;
  readonly backend: BackendName;
  readonly seed: number;
  readonly index: number;
  /** Element count of every trainable variable, in the session's order. */
  readonly sizes: readonly number[];
  /** All variables, concatenated in order (float32). */
  readonly weights: SharedArrayBuffer;
  /** One region of sum(sizes) float32 per worker, worker i's at i·sum(sizes). */
  readonly gradients: SharedArrayBuffer;
  /** The main thread's balanced class weights (ForwardContext.classWeights), when the model's loss takes them. */
  readonly classWeights?: readonly number[];
}

export interface StepRequest {
  readonly type: 'step';
  readonly features: FeatureArray;
  readonly labels: Float32Array;
  readonly labelIds: Int32Array;
  readonly lengths?: Int32Array;
  readonly size: number;
  /** The data set's example shape (features and classes). */
  readonly shape: ExampleShape;
  /** Index of the first row in the whole batch (for per-example dropout masks). */
  readonly exampleOffset: number;
  /** This shard's share of the batch, size / batch size: its gradients are scaled by it, so the shares add up to the batch mean's. */
  readonly share: number;
  /** The whole batch's class mass and rows: class-weighted losses divide by its weight sum (losses.withinBatch). */
  readonly whole?: WholeBatch;
  /** The dropout stream where the step starts. */
  readonly dropout: RandomState;
  /** The main thread's non-trainable state (moving statistics), concatenated in the session's order: small, so it travels in the message. */
  readonly state: Float32Array;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly metrics: readonly number[];
      /** Which variables the loss reached (the others' gradient regions are not written). */
      readonly present: readonly boolean[];
      /** The dropout stream after the step. */
      readonly dropout: RandomState;
      /** The batch statistics of this worker's rows, per batch_norm application in graph order; the main thread combines them (TrainingSession.applyStatistics). */
      readonly statistics: readonly StatisticsValues[];
    }
  | { readonly type: 'failed'; readonly message: string };

/** Rows [offset, offset + size) of a batch for each of `parts` workers, as even as possible. */
export function splitRows(rows: number, parts: number): Array<{ offset: number; size: number }> {
  const base = Math.floor(rows / parts);
  const extra = rows % parts;
  let offset = 0;
  return Array.from({ length: parts }, (_, i) => {
    const size = base + (i < extra ? 1 : 0);
    const shard = { offset, size };
    offset += size;
    return shard;
  });
}
