/** Runs a baseline through the same timing loop as graphc (bench/timing.ts). */
import type { BackendRequest } from '../../../runtime/backends.js';
import { initBackend } from '../../../runtime/backends.js';
import { loadMnist, type Batch, type DataSet } from '../../../runtime/data/index.js';
import { IMAGE_SIZE, NUM_CLASSES } from '../../../runtime/data/index.js';
import type { OptimizerConfig } from '../../../runtime/model.js';
import { RandomStream } from '../../../runtime/random.js';
import { tf } from '../../../runtime/tf.js';
import { timePhases, type PhaseTimes, type TimingPhase, type TimingPlan } from '../timing.js';
import { findBaseline } from './registry.js';
import type { SpecParams } from './params.js';

/** Everything a runner needs, as plain data (it may cross a process boundary). */
export interface BaselineRequest {
  /** The spec's name, which picks the baseline. */
  readonly model: string;
  readonly params: SpecParams;
  readonly optimizer: OptimizerConfig;
  readonly plan: TimingPlan;
  readonly backend: BackendRequest;
  readonly seed: number;
  readonly dataDir?: string;
}

export interface BaselineResult {
  readonly description: string;
  /** Trainable parameters (the same count as graphc's variables, by construction). */
  readonly parameters: number;
  readonly times: PhaseTimes;
}

export interface BaselineRunner {
  run(request: BaselineRequest, onProgress?: (phase: TimingPhase, done: number, total: number) => void): Promise<BaselineResult>;
}

export interface BaselineData {
  readonly train: DataSet;
  readonly test: DataSet;
}

/** tfjs's own optimizer of the spec's kind (a timing baseline: tfjs's update rules, which differ in detail from graphc's TF1 ones). */
function baselineOptimizer(o: OptimizerConfig): tf.Optimizer {
  switch (o.type) {
    case 'adam':
      return tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
    case 'adamw':
      // tfjs has no AdamW; its decay is one multiply per weight, so Adam times the same.
      return tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
    case 'sgd':
      return o.momentum ? tf.train.momentum(o.learningRate, o.momentum, o.nesterov ?? false) : tf.train.sgd(o.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(o.learningRate, o.decay, o.momentum, o.epsilon, o.centered);
    case 'adagrad':
      return tf.train.adagrad(o.learningRate, o.initialAccumulatorValue);
  }
}

/** Builds and compiles a baseline as its spec says: categorical cross-entropy, accuracy, the spec's optimizer. */
export function buildBaseline(request: Pick<BaselineRequest, 'model' | 'params' | 'optimizer'>): { model: tf.Sequential; description: string } {
  const definition = findBaseline(request.model);
  if (!definition) throw new Error(`no baseline for '${request.model}'`);
  const model = definition.build(request.params);
  const o = request.optimizer;
  const optimizer = baselineOptimizer(o);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return { model, description: definition.describe(request.params) };
}

/** A baseline's training step and evaluation batch, as a tfjs user calls them. */
export function baselineSteps(model: tf.LayersModel, data: BaselineData, plan: TimingPlan): { trainStep(): Promise<void>; evalBatch(): Promise<void> } {
  const tensors = (batch: Batch): [tf.Tensor2D, tf.Tensor2D] => [tf.tensor2d(batch.images, [batch.size, IMAGE_SIZE]), tf.tensor2d(batch.labels, [batch.size, NUM_CLASSES])];
  return {
    trainStep: async () => {
      const [xs, ys] = tensors(data.train.nextBatch(plan.batchSize));
      await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
    },
    evalBatch: async () => {
      const [xs, ys] = tensors(data.test.nextBatch(plan.evalBatchSize));
      const result = model.evaluate(xs, ys, { batchSize: plan.evalBatchSize });
      const scalars = Array.isArray(result) ? result : [result];
      await Promise.all(scalars.map((s) => s.data()));
      tf.dispose([xs, ys, ...scalars]);
    },
  };
}

/** Trainable weights only: batch norm's moving statistics are non-trainable weights in tfjs-layers, state in graphc. */
export function trainableParameters(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
}

export async function runBaseline(
  request: BaselineRequest,
  data?: BaselineData,
  onProgress?: (phase: TimingPhase, done: number, total: number) => void,
): Promise<BaselineResult> {
  await initBackend(request.backend);
  const { model, description } = buildBaseline(request);
  const batches = data ?? loadMnist({ random: new RandomStream(request.seed, 'data'), ...(request.dataDir !== undefined ? { dataDir: request.dataDir } : {}) });
  try {
    const times = await timePhases(baselineSteps(model, batches, request.plan), request.plan, onProgress);
    return { description, parameters: trainableParameters(model), times };
  } finally {
    model.optimizer.dispose();
    model.dispose();
  }
}

/** Runs baselines in this process, on the given data (or MNIST loaded per request). */
export function inProcessRunner(data?: BaselineData): BaselineRunner {
  return { run: (request, onProgress) => runBaseline(request, data, onProgress) };
}
