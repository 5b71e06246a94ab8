/**
 * A model's training state and its two operations, a training step and an
 * evaluation batch. The trainer loops over it on the schedule; benchmarks time
 * it directly. A training step's metrics are those of the forward pass that
 * produced its gradients (TF1's sess.run([cost, acc, train_op])).
 */
import { CheckpointMismatch } from './checkpoint_mismatch.js';
import type { Batch as DataBatch, DataSet } from './data/dataset.js';
import { Initializer, type NamedVariable } from './init.js';
import { withinBatch, type WholeBatch } from './losses.js';
import type { Batch, CompiledModel, ForwardContext, Phase } from './model.js';
import type { BatchStatistics } from './nn.js';
import { Updater, type Optimizer, type OptimizerState } from './optim/index.js';
import { RandomStream, type RandomState } from './random.js';
import { platform } from './platform/platform.js';
import { tf } from './tf.js';

export interface NamedValues {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Everything of a session a checkpoint keeps. */
export interface SessionState {
  readonly step: number;
  readonly variables: readonly NamedValues[];
  /** The non-trainable state (batch_norm's moving statistics), by name; empty for models without any. */
  readonly state: readonly NamedValues[];
  readonly optimizer: { readonly type: string; readonly step: number; readonly variables: readonly string[]; readonly slots: readonly NamedValues[] };
  readonly dropout: RandomState;
}

/**
 * One batch_norm's batch statistics as numbers (what a worker sends back for
 * its rows), with the indices of its moving mean and variance in the session's state.
 */
export interface StatisticsValues {
  readonly movingMean: number;
  readonly movingVariance: number;
  readonly momentum: number;
  readonly mean: readonly number[];
  /** Biased (over `count` values per channel). */
  readonly variance: readonly number[];
  readonly count: number;
}

/** The moving averages to update and the batch's statistics: a BatchStatistics, or StatisticsValues made tensors. */
interface StatisticsUpdate {
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
  readonly momentum: number;
  readonly mean: tf.Tensor;
  readonly variance: tf.Tensor;
  readonly count: number;
}

export class TrainingSession<F, V, N> {
  readonly vars: V;
  /** Every trainable variable with its graph name, in creation order. */
  readonly named: readonly NamedVariable[];
  /** Every non-trainable state variable with its graph name, in creation order: the optimizer never sees them. */
  readonly state: readonly NamedVariable[];
  readonly metricNames: readonly string[];
  readonly context: { readonly random: RandomStream } & ForwardContext;
  private optimizer: Optimizer | undefined;
  /** The optimizer behind the spec's schedule and clipping (optim/updater.ts). */
  private updater: Updater | undefined;
  private updated: tf.Variable[] = [];
  private steps = 0;
  private plateauRate: number | undefined;

  constructor(
    readonly model: CompiledModel<F, V, N>,
    readonly seed: number,
    /** The training split's balanced class weights, for a model whose loss has `class_weights: balanced` (the trainer counts them). */
    classWeights?: readonly number[],
  ) {
    const init = new Initializer(new RandomStream(seed, 'init'));
    this.vars = model.createVariables(init);
    this.named = [...init.variables()];
    this.state = [...init.stateVariables()];
    this.metricNames = Object.keys(model.schedule.metrics);
    this.context = { random: new RandomStream(seed, 'dropout'), ...(classWeights ? { classWeights } : {}) };
  }

  get trainable(): tf.Variable[] {
    return this.named.map((n) => n.variable);
  }

  /** Training steps taken so far. */
  get step(): number {
    return this.steps;
  }

  /** Index of the loss among the metrics, or -1 if no metric reports it. */
  get lossMetricIndex(): number {
    const schedule = this.model.schedule;
    return this.metricNames.findIndex((m) => schedule.metrics[m] === schedule.loss);
  }

  /** One training step. Returns the step's metrics as a tensor, not read back; the caller disposes it. */
  trainStep(batch: DataBatch): tf.Tensor1D {
    const { grads, metrics, statistics } = this.gradients(batch);
    try {
      this.applyGradients(grads);
      this.updateMovingAverages(statistics.map((s) => ({ ...s, movingMean: s.weights.movingMean, movingVariance: s.weights.movingVariance })));
    } finally {
      tf.dispose(grads.filter((g) => g !== undefined));
      tf.dispose(statistics.flatMap((s) => [s.mean, s.variance]));
    }
    return metrics;
  }

  /**
   * The gradient of the loss on one batch for every trainable variable
   * (undefined where the loss does not reach it) and the batch's metrics,
   * updating nothing, and the batch statistics of its batch_norm nodes (the
   * caller disposes their tensors). exampleOffset places the batch in a
   * larger one that was split (see ForwardContext); `whole` is that batch,
   * whose weight sum class-weighted losses divide by (losses.withinBatch).
   */
  gradients(batch: DataBatch, exampleOffset = 0, whole?: WholeBatch): { grads: Array<tf.Tensor | undefined>; metrics: tf.Tensor1D; statistics: BatchStatistics[] } {
    const schedule = this.model.schedule;
    const statistics: BatchStatistics[] = [];
    const context: ForwardContext = { ...this.context, ...(exampleOffset === 0 ? {} : { exampleOffset }), phase: 'train', statistics };
    const result = tf.tidy(() => {
      let metrics: tf.Tensor1D | undefined;
      const feeds = this.model.makeFeeds('train', toTensors(batch));
      const { grads } = withinBatch(whole, () =>
        tf.variableGrads(() => {
          const nodes = this.model.forward(this.vars, feeds, context);
          metrics = tf.keep(this.fetchMetrics(nodes));
          return nodes[schedule.loss as keyof N] as unknown as tf.Scalar;
        }, this.trainable),
      );
      return { grads: this.trainable.map((v) => grads[v.name]), metrics: metrics! };
    });
    return { ...result, statistics };
  }

  /**
   * Folds a step's batch statistics into the moving averages, as Keras and
   * TF1 do: moving = moving · momentum + batch · (1 − momentum). The mean is
   * the batch's; the variance is the batch's unbiased one (× n/(n − 1)), as
   * TF's fused batch norm and PyTorch keep it (normalising uses the biased one).
   */
  private updateMovingAverages(updates: readonly StatisticsUpdate[]): void {
    for (const u of updates) {
      tf.tidy(() => {
        const unbiased = u.count > 1 ? tf.mul(u.variance, u.count / (u.count - 1)) : u.variance;
        u.movingMean.assign(tf.add(tf.mul(u.movingMean, u.momentum), tf.mul(u.mean, 1 - u.momentum)));
        u.movingVariance.assign(tf.add(tf.mul(u.movingVariance, u.momentum), tf.mul(unbiased, 1 - u.momentum)));
      });
    }
  }

  /** A step's batch statistics as numbers, with their moving averages by index in `state` (a worker's reply). */
  async statisticsValues(statistics: readonly BatchStatistics[]): Promise<StatisticsValues[]> {
    const index = new Map(this.state.map((s, i) => [s.variable as tf.Variable, i]));
    return Promise.all(
      statistics.map(async (s) => ({
        movingMean: index.get(s.weights.movingMean)!,
        movingVariance: index.get(s.weights.movingVariance)!,
        momentum: s.momentum,
        mean: Array.from(await s.mean.data()),
        variance: Array.from(await s.variance.data()),
        count: s.count,
      })),
    );
  }

  /**
   * Updates the moving averages from the statistics of the parts of one batch
   * (one list per worker, in graph order): the whole batch's mean and biased
   * variance follow exactly from the parts' (the law of total variance), so
   * the moving averages are those of the whole batch whatever the split.
   */
  applyStatistics(parts: readonly (readonly StatisticsValues[])[]): void {
    const first = parts[0] ?? [];
    const updates = first.map((s, j) => {
      const shards = parts.map((p) => p[j]!);
      const count = shards.reduce((n, p) => n + p.count, 0);
      const mean = s.mean.map((_, c) => shards.reduce((sum, p) => sum + p.count * p.mean[c]!, 0) / count);
      const variance = s.variance.map((_, c) => shards.reduce((sum, p) => sum + p.count * (p.variance[c]! + (p.mean[c]! - mean[c]!) ** 2), 0) / count);
      return {
        movingMean: this.state[s.movingMean]!.variable,
        movingVariance: this.state[s.movingVariance]!.variable,
        momentum: s.momentum,
        mean: tf.tensor1d(mean, 'float32'),
        variance: tf.tensor1d(variance, 'float32'),
        count,
      };
    });
    try {
      this.updateMovingAverages(updates);
    } finally {
      tf.dispose(updates.flatMap((u) => [u.mean, u.variance]));
    }
  }

  /** One optimizer update, and one step more; grads[i] is the gradient of trainable[i] (not disposed). */
  applyGradients(grads: ReadonlyArray<tf.Tensor | undefined>): void {
    const trainable = this.trainable;
    // Variables the loss does not reach get no gradient and, as in TF1's minimize(), no update.
    this.optimizer ??= this.createOptimizer(trainable.filter((_, i) => grads[i] !== undefined));
    this.updater!.apply(this.updated.map((v) => grads[trainable.indexOf(v)]!), this.steps);
    this.steps++;
  }

  /** The last step's learning rate (with a schedule) and gradient norm before clipping (with clipping), for metrics.jsonl. */
  async readTrainingStats(): Promise<Record<string, number>> {
    return (await this.updater?.readStats()) ?? {};
  }

  /** The metrics of one batch in a phase without updating anything (evaluation). */
  measure(phase: Phase, batch: DataBatch): Float32Array {
    return tf.tidy(() => this.measureTensor(phase, batch).dataSync() as Float32Array);
  }

  /** The mean of each metric over `batches` test batches (the reference notebook's evaluation). */
  evaluate(test: DataSet, batches: number, batchSize: number, onBatch?: (done: number, total: number) => void): Record<string, number> {
    const sums = new Float64Array(this.metricNames.length);
    for (let j = 0; j < batches; j++) {
      this.measure('eval', test.nextBatch(batchSize)).forEach((v, i) => (sums[i]! += v));
      onBatch?.(j + 1, batches);
    }
    return Object.fromEntries(this.metricNames.map((m, i) => [m, sums[i]! / batches]));
  }

  /** Metric values read back from a training step's tensor. */
  readMetrics(metrics: tf.Tensor1D): Record<string, number> {
    return this.metricRecord(metrics.dataSync());
  }

  /*
   * Asynchronous reads, which every backend supports and webgpu requires (its
   * synchronous read needs a browser canvas). Evaluation queues all batches
   * before reading any, so the GPU is not stopped once per batch.
   */

  /** measure, read back asynchronously (which every backend supports: webgpu cannot read synchronously in Node). */
  async measureAsync(phase: Phase, batch: DataBatch): Promise<Float32Array> {
    const metrics = tf.tidy(() => this.measureTensor(phase, batch));
    try {
      return (await metrics.data()) as Float32Array;
    } finally {
      metrics.dispose();
    }
  }

  async readMetricsAsync(metrics: tf.Tensor1D): Promise<Record<string, number>> {
    return this.metricRecord(await metrics.data());
  }

  async evaluateAsync(
    test: DataSet,
    batches: number,
    batchSize: number,
    onBatch?: (done: number, total: number) => void,
    /** Checked between batches (which yield to signal handlers): when aborted, the evaluation is dropped and undefined returned. */
    signal?: AbortSignal,
  ): Promise<Record<string, number> | undefined> {
    const pending: tf.Tensor1D[] = [];
    try {
      for (let j = 0; j < batches; j++) {
        pending.push(tf.tidy(() => this.measureTensor('eval', test.nextBatch(batchSize))));
        onBatch?.(j + 1, batches);
        if (signal) {
          // On the CPU backends a batch computes synchronously; a signal's handler runs only between them.
          await platform().yieldToEvents();
          if (signal.aborted) return undefined;
        }
      }
      const sums = new Float64Array(this.metricNames.length);
      for (const values of await Promise.all(pending.map((t) => t.data()))) values.forEach((v, i) => (sums[i]! += v));
      return this.metricRecord(sums.map((s) => s / batches));
    } finally {
      tf.dispose(pending);
    }
  }

  async readState(): Promise<SessionState> {
    const values = await Promise.all(this.named.map(async (n) => (await n.variable.data()) as Float32Array));
    const state = await Promise.all(this.state.map(async (n) => (await n.variable.data()) as Float32Array));
    return this.stateOf(values, state, (await this.optimizer?.readState()) ?? { step: 0, slots: [] });
  }

  getState(): SessionState {
    return this.stateOf(
      this.named.map((n) => n.variable.dataSync() as Float32Array),
      this.state.map((n) => n.variable.dataSync() as Float32Array),
      this.optimizer?.getState() ?? { step: 0, slots: [] },
    );
  }

  private measureTensor(phase: Phase, batch: DataBatch): tf.Tensor1D {
    return this.fetchMetrics(this.model.forward(this.vars, this.model.makeFeeds(phase, toTensors(batch)), { ...this.context, phase }));
  }

  private metricRecord(values: ArrayLike<number>): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((m, i) => [m, values[i]!]));
  }

  private stateOf(variableValues: readonly Float32Array[], stateValues: readonly Float32Array[], optimizer: OptimizerState): SessionState {
    const byVariable = new Map(this.named.map((n) => [n.variable, n.name]));
    const updatedNames = this.updated.map((v) => byVariable.get(v)!);
    return {
      step: this.steps,
      variables: this.named.map((n, i) => ({ name: n.name, shape: n.variable.shape, values: variableValues[i]! })),
      state: this.state.map((n, i) => ({ name: n.name, shape: n.variable.shape, values: stateValues[i]! })),
      optimizer: {
        type: this.model.schedule.optimizer.type,
        step: optimizer.step,
        variables: updatedNames,
        slots: optimizer.slots.flatMap((slots, i) =>
          Object.entries(slots).map(([slot, values]) => ({ name: `${updatedNames[i]}/${slot}`, shape: this.updated[i]!.shape, values })),
        ),
      },
      dropout: this.context.random.getState(),
    };
  }

  /**
   * Starts from another model's weights (graphc run --init): every variable
   * and state by name, with its shape; the optimizer, step and random streams
   * stay fresh. A mismatch throws CheckpointMismatch.
   */
  loadWeights(variables: readonly NamedValues[], state: readonly NamedValues[]): void {
    const byName = new Map(variables.map((v) => [v.name, v]));
    for (const { name, variable } of this.named) {
      const saved = byName.get(name);
      if (!saved) throw new CheckpointMismatch({ kind: 'missing_in_checkpoint', variable: name });
      if (saved.shape.join() !== variable.shape.join()) throw new CheckpointMismatch({ kind: 'variable_shape', variable: name, checkpoint: saved.shape, model: variable.shape });
    }
    const known = new Set(this.named.map((n) => n.name));
    const extra = variables.find((v) => !known.has(v.name));
    if (extra) throw new CheckpointMismatch({ kind: 'missing_in_model', variable: extra.name });
    for (const { name, variable } of this.named) tf.tidy(() => variable.assign(tf.tensor(byName.get(name)!.values, variable.shape, 'float32')));
    restoreState(this.state, state);
  }

  setState(state: SessionState): void {
    const byName = new Map(this.named.map((n) => [n.name, n.variable]));
    for (const saved of state.variables) {
      const variable = byName.get(saved.name);
      if (!variable) throw new CheckpointMismatch({ kind: 'missing_in_model', variable: saved.name });
      if (saved.shape.join() !== variable.shape.join()) {
        throw new CheckpointMismatch({ kind: 'variable_shape', variable: saved.name, checkpoint: saved.shape, model: variable.shape });
      }
      tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape, 'float32')));
    }
    if (state.variables.length !== this.named.length) throw new CheckpointMismatch({ kind: 'variable_count', checkpoint: state.variables.length, model: this.named.length });
    restoreState(this.state, state.state);
    this.updater?.dispose();
    this.optimizer = undefined;
    if (state.optimizer.variables.length > 0) {
      this.optimizer = this.createOptimizer(state.optimizer.variables.map((name) => byName.get(name)!));
      const slots = new Map(state.optimizer.slots.map((s) => [s.name, s.values]));
      this.optimizer.setState({
        step: state.optimizer.step,
        slots: state.optimizer.variables.map((name) =>
          Object.fromEntries([...slots].filter(([key]) => key.startsWith(`${name}/`)).map(([key, values]) => [key.slice(name.length + 1), values])),
        ),
      });
    }
    this.context.random.setState(state.dropout);
    this.steps = state.step;
  }

  dispose(): void {
    this.updater?.dispose();
    for (const v of this.trainable) v.dispose();
    for (const s of this.state) s.variable.dispose();
  }

  private createOptimizer(variables: tf.Variable[]): Optimizer {
    this.updated = variables;
    const names = new Map(this.named.map((n) => [n.variable, n.name]));
    this.updater = new Updater(this.model.schedule, variables, variables.map((v) => names.get(v)!), this.plateauRate);
    return this.updater.optimizer;
  }

  /** The rate reduce_on_plateau has reached, for the next steps (the trainer steps the plateau after each evaluation). */
  setPlateauRate(rate: number): void {
    this.plateauRate = rate;
    if (this.updater) this.updater.plateauRate = rate;
  }

  private fetchMetrics(nodes: N): tf.Tensor1D {
    const schedule = this.model.schedule;
    return tf.stack(this.metricNames.map((m) => nodes[schedule.metrics[m] as keyof N] as unknown as tf.Scalar)) as tf.Tensor1D;
  }
}

/** Assigns saved non-trainable state to a model's state variables by name; every one must be there, with its shape. */
export function restoreState(variables: readonly NamedVariable[], saved: readonly NamedValues[]): void {
  const byName = new Map(saved.map((s) => [s.name, s]));
  for (const { name, variable } of variables) {
    const entry = byName.get(name);
    if (!entry) throw new CheckpointMismatch({ kind: 'missing_in_checkpoint', variable: name });
    if (entry.shape.join() !== variable.shape.join()) throw new CheckpointMismatch({ kind: 'variable_shape', variable: name, checkpoint: entry.shape, model: variable.shape });
    tf.tidy(() => variable.assign(tf.tensor(entry.values, variable.shape, 'float32')));
  }
  const known = new Set(variables.map((v) => v.name));
  const extra = saved.find((s) => !known.has(s.name));
  if (extra) throw new CheckpointMismatch({ kind: 'missing_in_model', variable: extra.name });
}

export function toTensors(batch: DataBatch): Batch {
  const { shape, size } = batch;
  const features = tf.tensor(batch.features, [size, ...shape.features], shape.featureDtype ?? 'float32');
  // A regression dataset's label rows are its targets: batch.targets, [size] for one, [size, k] for several.
  const labels = shape.targets ? tf.zeros([size, 0]) : tf.tensor2d(batch.labels, [size, shape.classes]);
  return {
    features,
    images: features as tf.Tensor2D,
    labels: labels as tf.Tensor2D,
    label_ids: tf.tensor1d(batch.labelIds, 'int32'),
    ...(shape.targets ? { targets: tf.tensor(batch.labels, [size, ...shape.targets], 'float32') } : {}),
    ...(batch.lengths ? { lengths: tf.tensor1d(batch.lengths, 'int32') } : {}),
    size,
  };
}
