/** What the training session asks of an optimizer, whichever the spec names. */
import type { tf } from '../tf.js';

export interface Optimizer {
  /** One update; learningRate, when given, replaces the configured one for this step (a schedule's). */
  applyGradients(grads: readonly tf.Tensor[], learningRate?: number): void;
  /** Updates applied so far and the per-variable slot values, by slot name. */
  getState(): OptimizerState;
  /** getState, read asynchronously (webgpu cannot read synchronously in Node). */
  readState(): Promise<OptimizerState>;
  setState(state: OptimizerState): void;
  dispose(): void;
}

export interface OptimizerState {
  readonly step: number;
  /** One entry per updated variable: slot name (m, v, …) → values. */
  readonly slots: readonly Readonly<Record<string, Float32Array>>[];
}
