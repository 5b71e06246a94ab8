/**
 * A trained model for inference: the model's variables filled from a
 * checkpoint, with forward passes in the evaluation phase (no dropout, no
 * updates). `graphc eval`, `predict` and `export` build on it.
 */
import { CheckpointMismatch } from './checkpoint_mismatch.js';
import { labelWidth, makeBatch, MNIST_SHAPE, type DataSet, type ExampleShape, type FeatureArray } from './data/dataset.js';
import { restoreState, toTensors } from './session.js';
import type { Checkpoint } from './checkpoint_format.js';
import { tensorValues } from './checkpoint_format.js';
import { Initializer } from './init.js';
import type { CompiledModel, ForwardContext } from './model.js';
import { RandomStream } from './random.js';
import { tf } from './tf.js';

export { CheckpointMismatch };

export class TrainedModel<F, V, N> {
  readonly vars: V;
  /** The checkpoint's values by graph variable name (`W`, `outputs/layer_0/fw/gates/kernel`, …), the state's (`bn/moving_mean`) among them. */
  readonly weights: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;
  private readonly variables: readonly tf.Variable[];
  private readonly context: ForwardContext;

  constructor(
    readonly model: CompiledModel<F, V, N>,
    readonly checkpoint: Checkpoint,
  ) {
    const header = checkpoint.header;
    const init = new Initializer(new RandomStream(header.seed, 'init'));
    this.vars = model.createVariables(init);
    this.variables = [...init.variables(), ...init.stateVariables()].map((v) => v.variable);
    this.context = { random: new RandomStream(header.seed, 'dropout'), phase: 'eval', ...(header.classWeights ? { classWeights: header.classWeights } : {}) };
    const saved = new Map(header.variables.map((e) => [e.name, { shape: e.shape, values: tensorValues(checkpoint, e) }]));
    const savedState = (header.state ?? []).map((e) => ({ name: e.name, shape: e.shape, values: tensorValues(checkpoint, e) }));
    this.weights = new Map([...saved, ...savedState.map((s) => [s.name, s] as const)]);
    try {
      for (const { name, variable } of init.variables()) {
        const entry = saved.get(name);
        if (!entry) throw new CheckpointMismatch({ kind: 'missing_in_checkpoint', variable: name });
        if (entry.shape.join() !== variable.shape.join()) {
          throw new CheckpointMismatch({ kind: 'variable_shape', variable: name, checkpoint: entry.shape, model: variable.shape });
        }
        tf.tidy(() => variable.assign(tf.tensor(entry.values, variable.shape, 'float32')));
      }
      if (saved.size !== init.variables().length) throw new CheckpointMismatch({ kind: 'variable_count', checkpoint: saved.size, model: init.variables().length });
      // The moving statistics batch_norm normalises with at inference.
      restoreState(init.stateVariables(), savedState);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /**
   * Runs the graph in the evaluation phase on `count` examples (features
   * [count, ...shape.features], MNIST's [count, 784] by default) and one-hot
   * labels (zeros when unknown; a regression dataset's targets), and returns the values of the named nodes, read back.
   */
  run(features: FeatureArray, labels: Float32Array, count: number, nodes: readonly string[], shape: ExampleShape = MNIST_SHAPE, lengths?: Int32Array): Float32Array[] {
    return tf.tidy(() => {
      const feeds = this.model.makeFeeds('eval', toTensors(makeBatch(features, labels, count, shape, lengths)));
      const values = this.model.forward(this.vars, feeds, this.context) as Record<string, tf.Tensor>;
      return nodes.map((node) => values[node]!.dataSync() as Float32Array);
    });
  }

  /**
   * Each metric of the schedule over the whole test set, in order, in
   * batches of `batchSize` (the last may be shorter), weighted by batch size.
   * `also` reads further nodes in the same passes (the predictions an
   * evaluation report counts): their values for each batch, from example `start`.
   */
  evaluate(
    test: DataSet,
    batchSize: number,
    onBatch?: (done: number, total: number) => void,
    also?: { readonly nodes: readonly string[]; each(values: readonly Float32Array[], start: number, size: number): void },
  ): Record<string, number> {
    const schedule = this.model.schedule;
    const names = Object.keys(schedule.metrics);
    const metricNodes = names.map((m) => schedule.metrics[m] as string);
    const nodes = [...metricNodes, ...(also?.nodes ?? [])];
    const sums = new Float64Array(names.length);
    const batches = Math.ceil(test.count / batchSize);
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, test.count - start);
      const classes = labelWidth(test.shape);
      const features = test.rows(start, size);
      const labels = test.labels.subarray(start * classes, (start + size) * classes);
      const values = this.run(features, labels, size, nodes, test.shape, test.lengths?.subarray(start, start + size));
      metricNodes.forEach((_, i) => (sums[i]! += values[i]![0]! * size));
      also?.each(values.slice(metricNodes.length), start, size);
      onBatch?.(b + 1, batches);
    }
    return Object.fromEntries(names.map((m, i) => [m, sums[i]! / test.count]));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
