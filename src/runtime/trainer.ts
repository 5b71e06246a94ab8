/**
 * Runs a compiled model's schedule as the seed notebook does: `steps` training
 * batches, and after every `every` steps an evaluation over `batches` test
 * batches, printing the seed's line.
 */
import { join } from 'node:path';
import { fail } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../util/fs.js';
import { initBackend, type BackendInfo, type BackendRequest } from './backends.js';
import { loadMnist, type DataSet } from './data/index.js';
import { formatLogLine, parseLogTemplate } from './log-format.js';
import type { CompiledModel } from './model.js';
import { RandomStream } from './random.js';
import { TrainingSession } from './session.js';
import { runtimeVersions } from './versions.js';

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
  /** Called once the backend is up, before the first step (progress display). */
  readonly onStart?: (plan: RunPlan) => void;
  /** Called after every training step with its metrics when they were read back (progress display, tests). */
  readonly onStep?: (step: number, train?: Readonly<Record<string, number>>) => void;
  /** Called after each test batch of an evaluation (progress display). */
  readonly onEvalBatch?: (done: number, total: number) => void;
  /** Called after every evaluation, once its line is printed; a returned promise is awaited (e.g. redrawing curves.svg). */
  readonly onEvaluation?: (evaluation: Evaluation) => void | Promise<void>;
}

/** The schedule a run follows, after command-line overrides. */
export interface RunPlan {
  readonly firstStep: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly evalEvery: number;
  readonly evalBatches: number;
  /** The metric that reports the loss, if one does. */
  readonly lossMetric?: string;
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
  const logParts = parseLogTemplate(schedule.log);
  const session = new TrainingSession(model, seed);
  const lossIndex = session.lossMetricIndex;

  options.onStart?.({ firstStep: 1, steps, batchSize, evalEvery: every, evalBatches, ...(lossIndex >= 0 ? { lossMetric: session.metricNames[lossIndex]! } : {}) });
  const evaluations: Evaluation[] = [];
  const start = performance.now();
  let passStart = start;
  try {
    for (let step = 1; step <= steps; step++) {
      const metrics = session.trainStep(data.train.nextBatch(batchSize));
      const logged = step % every === 0;
      let train: Record<string, number> | undefined;
      // On the CPU backends reading one scalar back is cheap, so a non-finite loss is caught at once.
      if (logged || lossIndex >= 0) {
        train = session.readMetrics(metrics);
        const loss = lossIndex >= 0 ? train[session.metricNames[lossIndex]!]! : 0;
        if (!Number.isFinite(loss)) fail('GC703', { step, node: schedule.loss, value: String(loss) });
        if (logged) {
          const test = session.evaluate(data.test, evalBatches, evalBatchSize, options.onEvalBatch);
          const evaluation: Evaluation = { step, train, test, elapsed: (performance.now() - passStart) / 1000 };
          evaluations.push(evaluation);
          print(formatLogLine(logParts, logValues(evaluation)));
          if (options.out) writeMetrics(options.out, evaluations);
          await options.onEvaluation?.(evaluation);
          passStart = performance.now();
        }
      }
      metrics.dispose();
      options.onStep?.(step, train);
    }
  } finally {
    session.dispose();
  }
  const result: RunResult = { model: model.name, backend, seed, steps, evaluations, wallSeconds: (performance.now() - start) / 1000 };
  if (options.out) writeSummary(options.out, model, result);
  return result;
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
    spec: model.source,
    params: model.params,
    backend: result.backend.name,
    device: result.backend.device,
    versions: runtimeVersions(),
    seed: result.seed,
    steps: result.steps,
    wall_seconds: result.wallSeconds,
    final: final ?? null,
  };
  writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
