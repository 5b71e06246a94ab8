/**
 * Runs a compiled model's schedule as the seed notebook does: `steps` training
 * batches, and after every `every` steps an evaluation over `batches` test
 * batches, printing the seed's line. The metrics of a training step are those
 * of the forward pass that produced its gradients (TF1's sess.run([cost, acc,
 * train_op])).
 */
import { join } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../util/fs.js';
import { initBackend, type BackendInfo, type BackendRequest } from './backends.js';
import { loadMnist, type DataSet } from './data/index.js';
import { IMAGE_SIZE, NUM_CLASSES, type Batch as DataBatch } from './data/dataset.js';
import { Initializer } from './init.js';
import { formatLogLine, parseLogTemplate } from './log-format.js';
import type { Batch, CompiledModel, ForwardContext, OptimizerConfig, Phase } from './model.js';
import { Adam } from './optim/index.js';
import { RandomStream } from './random.js';
import { tf } from './tf.js';

export interface RunOptions {
  readonly backend?: BackendRequest;
  readonly steps?: number;
  readonly batchSize?: number;
  readonly evalEvery?: number;
  readonly evalBatches?: number;
  readonly seed?: number;
  readonly dataDir?: string;
  /** A folder for metrics.jsonl and summary.json. */
  readonly out?: string;
  /** Pre-loaded data (tests, benchmarks); otherwise MNIST is loaded. */
  readonly data?: { readonly train: DataSet; readonly test: DataSet };
  /** Where the evaluation lines go (default: stdout). */
  readonly print?: (line: string) => void;
  /** Where status lines go: backend, data (default: stderr). */
  readonly status?: (line: string) => void;
  /** Called after every training step (progress display, tests). */
  readonly onStep?: (step: number) => void;
}

export interface Evaluation {
  readonly step: number;
  readonly train: Readonly<Record<string, number>>;
  readonly test: Readonly<Record<string, number>>;
  /** Seconds since the previous evaluation (the seed's "pass"). */
  readonly elapsed: number;
}

export interface RunResult {
  readonly model: string;
  readonly backend: BackendInfo;
  readonly seed: number;
  readonly steps: number;
  readonly evaluations: readonly Evaluation[];
  readonly wallSeconds: number;
}

export const DEFAULT_SEED = 1;

interface Optimizer {
  applyGradients(grads: readonly tf.Tensor[]): void;
  dispose(): void;
}

export async function runModel<F, V, N>(model: CompiledModel<F, V, N>, options: RunOptions = {}): Promise<RunResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const status = options.status ?? ((line: string) => process.stderr.write(`${line}\n`));
  const schedule = model.schedule;
  const steps = options.steps ?? schedule.steps;
  const batchSize = options.batchSize ?? schedule.batchSize;
  const every = options.evalEvery ?? schedule.evaluation.every;
  const evalBatches = options.evalBatches ?? schedule.evaluation.batches;
  const evalBatchSize = options.batchSize ?? schedule.evaluation.batchSize;
  const seed = options.seed ?? DEFAULT_SEED;
  for (const [option, value] of [['--steps', steps], ['--batch-size', batchSize], ['--eval-every', every], ['--eval-batches', evalBatches]] as const) {
    if (!Number.isInteger(value) || value < 1) fail('GC704', { option, value: String(value), expected: 'a positive integer' });
  }

  const backend = await initBackend(options.backend ?? 'auto');
  for (const skipped of backend.skipped) status(`graphc: skipped backend ${skipped}`);
  status(`graphc: backend ${backend.name} on ${backend.device}`);

  const data = options.data ?? loadMnist({ ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}), random: new RandomStream(seed, 'data') });
  const metricNames = Object.keys(schedule.metrics);
  const logParts = parseLogTemplate(schedule.log);
  const init = new Initializer(new RandomStream(seed, 'init'));
  const vars = model.createVariables(init);
  const trainable = init.variables().map((v) => v.variable);
  const ctx: ForwardContext = { random: new RandomStream(seed, 'dropout') };
  let optimizer: Optimizer | undefined;
  let trainedVariables: tf.Variable[] = [];

  const toTensors = (batch: DataBatch): Batch => ({
    images: tf.tensor2d(batch.images, [batch.size, IMAGE_SIZE]),
    labels: tf.tensor2d(batch.labels, [batch.size, NUM_CLASSES]),
    size: batch.size,
  });
  const fetchMetrics = (nodes: N): tf.Tensor1D =>
    tf.stack(metricNames.map((m) => nodes[schedule.metrics[m] as keyof N] as unknown as tf.Scalar)) as tf.Tensor1D;
  const readMetrics = (values: Float32Array | Int32Array | Uint8Array): Record<string, number> =>
    Object.fromEntries(metricNames.map((m, i) => [m, values[i]!]));

  const trainStep = (phase: Phase, batch: DataBatch): tf.Tensor1D => {
    let metrics: tf.Tensor1D | undefined;
    tf.tidy(() => {
      const feeds = model.makeFeeds(phase, toTensors(batch));
      const { grads } = tf.variableGrads(() => {
        const nodes = model.forward(vars, feeds, ctx);
        metrics = tf.keep(fetchMetrics(nodes));
        return nodes[schedule.loss as keyof N] as unknown as tf.Scalar;
      }, trainable);
      if (!optimizer) {
        // Variables the loss does not reach get no gradient and, as in TF1's minimize(), no update.
        trainedVariables = trainable.filter((v) => grads[v.name] !== undefined);
        optimizer = createOptimizer(schedule.optimizer, trainedVariables);
      }
      optimizer.applyGradients(trainedVariables.map((v) => grads[v.name]!));
    });
    return metrics!;
  };

  const evaluate = (): Record<string, number> => {
    const sums = new Float64Array(metricNames.length);
    for (let j = 0; j < evalBatches; j++) {
      const batch = data.test.nextBatch(evalBatchSize);
      const values = tf.tidy(() => fetchMetrics(model.forward(vars, model.makeFeeds('eval', toTensors(batch)), ctx)).dataSync());
      values.forEach((v, i) => (sums[i]! += v));
    }
    return Object.fromEntries(metricNames.map((m, i) => [m, sums[i]! / evalBatches]));
  };

  const evaluations: Evaluation[] = [];
  const start = performance.now();
  let passStart = start;
  try {
    for (let step = 1; step <= steps; step++) {
      const metrics = trainStep('train', data.train.nextBatch(batchSize));
      const logged = step % every === 0;
      const lossIndex = metricNames.findIndex((m) => schedule.metrics[m] === schedule.loss);
      if (logged || lossIndex >= 0) {
        const values = metrics.dataSync();
        if (lossIndex >= 0 && !Number.isFinite(values[lossIndex]!)) {
          fail('GC703', { step, node: schedule.loss, value: String(values[lossIndex]) });
        }
        if (logged) {
          const train = readMetrics(values);
          const test = evaluate();
          const elapsed = (performance.now() - passStart) / 1000;
          const evaluation: Evaluation = { step, train, test, elapsed };
          evaluations.push(evaluation);
          print(formatLogLine(logParts, logValues(evaluation)));
          if (options.out) writeMetrics(options.out, evaluations);
          passStart = performance.now();
        }
      }
      metrics.dispose();
      options.onStep?.(step);
    }
  } finally {
    optimizer?.dispose();
    for (const v of trainable) v.dispose();
  }
  const result: RunResult = { model: model.name, backend, seed, steps, evaluations, wallSeconds: (performance.now() - start) / 1000 };
  if (options.out) writeSummary(options.out, model, result);
  return result;
}

function createOptimizer(config: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  if (config.type === 'adam') return new Adam(variables, config);
  const sgd = tf.train.sgd(config.learningRate);
  return {
    applyGradients: (grads) => sgd.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i]! }))),
    dispose: () => sgd.dispose(),
  };
}

function logValues(e: Evaluation): Record<string, number> {
  const values: Record<string, number> = { step: e.step, elapsed: e.elapsed };
  for (const [k, v] of Object.entries(e.train)) values[`train.${k}`] = v;
  for (const [k, v] of Object.entries(e.test)) values[`test.${k}`] = v;
  return values;
}

function writeMetrics(dir: string, evaluations: readonly Evaluation[]): void {
  writeFileAtomic(join(dir, 'metrics.jsonl'), evaluations.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

function writeSummary<F, V, N>(dir: string, model: CompiledModel<F, V, N>, result: RunResult): void {
  const final = result.evaluations.at(-1);
  const summary = {
    model: model.name,
    source: model.source,
    params: model.params,
    backend: result.backend.name,
    device: result.backend.device,
    seed: result.seed,
    steps: result.steps,
    wall_seconds: result.wallSeconds,
    final: final ?? null,
  };
  writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
