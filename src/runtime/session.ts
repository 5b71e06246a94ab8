/**
 * A model's training state and its two operations, a training step and an
 * evaluation batch. The trainer loops over it on the schedule; benchmarks time
 * it directly. A training step's metrics are those of the forward pass that
 * produced its gradients (TF1's sess.run([cost, acc, train_op])).
 */
import { CheckpointMismatch } from './checkpoint_mismatch.js';
import type { Batch as DataBatch, DataSet } from './data/dataset.js';
import { Initializer, type NamedVariable } from './init.js';
import type { Batch, CompiledModel, ForwardContext, Phase } from './model.js';
import { Updater, type Optimizer, type OptimizerState } from './optim/index.js';
import { RandomStream, type RandomState } from './random.js';
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
  readonly optimizer: { readonly type: string; readonly step: number; readonly variables: readonly string[]; readonly slots: readonly NamedValues[] };
  readonly dropout: RandomState;
}

export class TrainingSession<F, V, N> {
  readonly vars: V;
  /** Every trainable variable with its graph name, in creation order. */
  readonly named: readonly NamedVariable[];
  readonly metricNames: readonly string[];
  readonly context: { readonly random: RandomStream } & ForwardContext;
  private optimizer: Optimizer | undefined;
  /** The optimizer behind the spec's schedule and clipping (optim/updater.ts). */
  private updater: Updater | undefined;
  private updated: tf.Variable[] = [];
  private steps = 0;

  constructor(
    readonly model: CompiledModel<F, V, N>,
    readonly seed: number,
  ) {
    const init = new Initializer(new RandomStream(seed, 'init'));
    this.vars = model.createVariables(init);
    this.named = [...init.variables()];
    this.metricNames = Object.keys(model.schedule.metrics);
    this.context = { random: new RandomStream(seed, 'dropout') };
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
    const { grads, metrics } = this.gradients(batch);
    try {
      this.applyGradients(grads);
    } finally {
      tf.dispose(grads.filter((g) => g !== undefined));
    }
    return metrics;
  }

  /**
   * The gradient of the loss on one batch for every trainable variable
   * (undefined where the loss does not reach it) and the batch's metrics,
   * updating nothing. exampleOffset places the batch in a larger one that
   * was split (see ForwardContext).
   */
  gradients(batch: DataBatch, exampleOffset = 0): { grads: Array<tf.Tensor | undefined>; metrics: tf.Tensor1D } {
    const schedule = this.model.schedule;
    const context: ForwardContext = exampleOffset === 0 ? this.context : { ...this.context, exampleOffset };
    return tf.tidy(() => {
      let metrics: tf.Tensor1D | undefined;
      const feeds = this.model.makeFeeds('train', toTensors(batch));
      const { grads } = tf.variableGrads(() => {
        const nodes = this.model.forward(this.vars, feeds, context);
        metrics = tf.keep(this.fetchMetrics(nodes));
        return nodes[schedule.loss as keyof N] as unknown as tf.Scalar;
      }, this.trainable);
      return { grads: this.trainable.map((v) => grads[v.name]), metrics: metrics! };
    });
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
          await new Promise<void>((resolve) => setImmediate(resolve));
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
    return this.stateOf(values, (await this.optimizer?.readState()) ?? { step: 0, slots: [] });
  }

  getState(): SessionState {
    return this.stateOf(
      this.named.map((n) => n.variable.dataSync() as Float32Array),
      this.optimizer?.getState() ?? { step: 0, slots: [] },
    );
  }

  private measureTensor(phase: Phase, batch: DataBatch): tf.Tensor1D {
    return this.fetchMetrics(this.model.forward(this.vars, this.model.makeFeeds(phase, toTensors(batch)), this.context));
  }

  private metricRecord(values: ArrayLike<number>): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((m, i) => [m, values[i]!]));
  }

  private stateOf(variableValues: readonly Float32Array[], optimizer: OptimizerState): SessionState {
    const byVariable = new Map(this.named.map((n) => [n.variable, n.name]));
    const updatedNames = this.updated.map((v) => byVariable.get(v)!);
    return {
      step: this.steps,
      variables: this.named.map((n, i) => ({ name: n.name, shape: n.variable.shape, values: variableValues[i]! })),
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
  }

  private createOptimizer(variables: tf.Variable[]): Optimizer {
    this.updated = variables;
    this.updater = new Updater(this.model.schedule, variables);
    return this.updater.optimizer;
  }

  private fetchMetrics(nodes: N): tf.Tensor1D {
    const schedule = this.model.schedule;
    return tf.stack(this.metricNames.map((m) => nodes[schedule.metrics[m] as keyof N] as unknown as tf.Scalar)) as tf.Tensor1D;
  }
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
