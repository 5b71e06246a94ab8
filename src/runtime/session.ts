/**
 * A model's training state and its two operations, a training step and an
 * evaluation batch. The trainer loops over it on the schedule; benchmarks time
 * it directly. A training step's metrics are those of the forward pass that
 * produced its gradients (TF1's sess.run([cost, acc, train_op])).
 */
import { IMAGE_SIZE, NUM_CLASSES, type Batch as DataBatch, type DataSet } from './data/dataset.js';
import { Initializer } from './init.js';
import type { Batch, CompiledModel, ForwardContext, OptimizerConfig, Phase } from './model.js';
import { Adam } from './optim/index.js';
import { RandomStream } from './random.js';
import { tf } from './tf.js';

export interface Optimizer {
  applyGradients(grads: readonly tf.Tensor[]): void;
  dispose(): void;
}

export class TrainingSession<F, V, N> {
  readonly vars: V;
  /** Every trainable variable, in creation order. */
  readonly trainable: readonly tf.Variable[];
  readonly metricNames: readonly string[];
  readonly context: ForwardContext;
  private optimizer: Optimizer | undefined;
  private updated: tf.Variable[] = [];
  private steps = 0;

  constructor(
    readonly model: CompiledModel<F, V, N>,
    readonly seed: number,
  ) {
    const init = new Initializer(new RandomStream(seed, 'init'));
    this.vars = model.createVariables(init);
    this.trainable = init.variables().map((v) => v.variable);
    this.metricNames = Object.keys(model.schedule.metrics);
    this.context = { random: new RandomStream(seed, 'dropout') };
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
    const schedule = this.model.schedule;
    let metrics: tf.Tensor1D | undefined;
    tf.tidy(() => {
      const feeds = this.model.makeFeeds('train', toTensors(batch));
      const { grads } = tf.variableGrads(() => {
        const nodes = this.model.forward(this.vars, feeds, this.context);
        metrics = tf.keep(this.fetchMetrics(nodes));
        return nodes[schedule.loss as keyof N] as unknown as tf.Scalar;
      }, [...this.trainable]);
      if (!this.optimizer) {
        // Variables the loss does not reach get no gradient and, as in TF1's minimize(), no update.
        this.updated = this.trainable.filter((v) => grads[v.name] !== undefined);
        this.optimizer = createOptimizer(schedule.optimizer, this.updated);
      }
      this.optimizer.applyGradients(this.updated.map((v) => grads[v.name]!));
    });
    this.steps++;
    return metrics!;
  }

  /** The metrics of one batch in a phase without updating anything (evaluation). */
  measure(phase: Phase, batch: DataBatch): Float32Array {
    return tf.tidy(() => this.fetchMetrics(this.model.forward(this.vars, this.model.makeFeeds(phase, toTensors(batch)), this.context)).dataSync() as Float32Array);
  }

  /** The mean of each metric over `batches` test batches (the seed's evaluation). */
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
    const values = metrics.dataSync();
    return Object.fromEntries(this.metricNames.map((m, i) => [m, values[i]!]));
  }

  dispose(): void {
    this.optimizer?.dispose();
    for (const v of this.trainable) v.dispose();
  }

  private fetchMetrics(nodes: N): tf.Tensor1D {
    const schedule = this.model.schedule;
    return tf.stack(this.metricNames.map((m) => nodes[schedule.metrics[m] as keyof N] as unknown as tf.Scalar)) as tf.Tensor1D;
  }
}

export function toTensors(batch: DataBatch): Batch {
  return {
    images: tf.tensor2d(batch.images, [batch.size, IMAGE_SIZE]),
    labels: tf.tensor2d(batch.labels, [batch.size, NUM_CLASSES]),
    size: batch.size,
  };
}

function createOptimizer(config: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  if (config.type === 'adam') return new Adam(variables, config);
  const sgd = tf.train.sgd(config.learningRate);
  return {
    applyGradients: (grads) => sgd.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i]! }))),
    dispose: () => sgd.dispose(),
  };
}
