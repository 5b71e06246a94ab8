/**
 * `graphc bench`: for each target, graphc's training step and evaluation batch
 * timed through TrainingSession and, with baselines, the hand-written
 * tfjs-layers model timed the same way on the same backend, in a child
 * process on tfjs's stock kernels (baselines/child.ts).
 */
import { diagnostic, fail, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { initBackend, type BackendInfo, type BackendName, type BackendRequest } from '../../runtime/backends.js';
import type { AnyCompiledModel } from '../../runtime/model.js';
import { tf } from '../../runtime/tf.js';
import { BASELINES, childProcessRunner, findBaseline, type BaselineRunner } from './baselines/index.js';
import { benchDataLoader } from './data.js';
import { timeGraphc } from './graphc.js';
import { loadModel } from './load.js';
import { runPytorchBaseline } from './pytorch/runner.js';
import { measured, type Measured } from './measured.js';
import type { BenchProgress } from './progress.js';
import { describeTarget, type BenchTarget } from './target.js';
import type { Clock, TimingPlan } from './timing.js';

/** Backends whose work is all on this process's one thread, so its CPU time is their time. */
const CPU_CLOCK_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

export interface BenchOptions {
  readonly backend: BackendRequest;
  readonly steps: number;
  readonly evalBatches: number;
  readonly warmup: number;
  /** What a millisecond is measured on (default: wall). */
  readonly clock?: Clock;
  /** Overrides the spec's batch size for training and evaluation. */
  readonly batchSize?: number;
  readonly seed: number;
  readonly dataDir?: string;
  /** Worker threads sharing graphc's training batches (--workers; default 1). */
  readonly workers?: number;
  /** Time the baselines too. */
  readonly baseline: boolean;
  /** Which: hand-written tfjs-layers models (default) or the same models in PyTorch. */
  readonly baselineKind?: BaselineKind;
  /** PyTorch's threads (default: workers). */
  readonly pytorchThreads?: number;
  /** How baselines run (default: in a child process, on stock tfjs kernels). */
  readonly runner?: BaselineRunner;
  readonly progress?: BenchProgress;
  /** Where warnings go (e.g. a spec without a baseline). */
  readonly warn?: (warning: Diagnostic) => void;
}

export interface BenchRow extends Measured {
  readonly target: BenchTarget;
  /** The spec's name and its params after --set. */
  readonly model: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly plan: TimingPlan;
  /** Trainable parameters. */
  readonly parameters: number;
  readonly baseline?: Measured & { readonly description: string; readonly parameters: number };
}

export const BASELINE_KINDS = ['tfjs-layers', 'pytorch'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

export interface BenchResult {
  readonly backend: BackendInfo;
  /** What the rows' baselines are, when there are (default: tfjs-layers). */
  readonly baselineKind?: BaselineKind;
  readonly rows: readonly BenchRow[];
}

export async function runBench(targets: readonly BenchTarget[], options: BenchOptions): Promise<BenchResult> {
  // Every spec compiles before anything else, so a bad one fails fast.
  const models: AnyCompiledModel[] = [];
  for (const target of targets) models.push(await loadModel(target));
  const backend = await initBackend(options.backend);
  if (options.clock === 'cpu' && !CPU_CLOCK_BACKENDS.includes(backend.name)) {
    fail('GC722', { kind: 'cpu_clock', backend: backend.name, cpuBackends: CPU_CLOCK_BACKENDS });
  }
  // Production mode skips tfjs's per-kernel NaN checks, for graphc and baselines alike.
  tf.env().set('PROD', true);
  const dataOf = benchDataLoader(options);
  const kind = options.baselineKind ?? 'tfjs-layers';
  const child = options.baseline && kind === 'tfjs-layers' && !options.runner ? childProcessRunner() : undefined;
  const runner = options.runner ?? child;
  const rows: BenchRow[] = [];
  try {
    for (const [i, target] of targets.entries()) {
      const label = `[${i + 1}/${targets.length}] ${describeTarget(target)}`;
      const model = models[i]!;
      const schedule = model.schedule;
      const plan: TimingPlan = {
        warmup: options.warmup,
        steps: options.steps,
        evalBatches: options.evalBatches,
        batchSize: options.batchSize ?? schedule.batchSize,
        evalBatchSize: options.batchSize ?? schedule.evaluation.batchSize,
        clock: options.clock ?? 'wall',
      };
      options.progress?.start(`${label} (graphc)`);
      const graphc = await timeGraphc(model, await dataOf(model), plan, options.seed, options.progress?.callback, { workers: options.workers ?? 1, backend: backend.name });
      let baseline: BenchRow['baseline'];
      const request = { model: model.name, params: model.params, optimizer: schedule.optimizer, plan, backend: backend.name, seed: options.seed, ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}) };
      if (options.baseline && kind === 'pytorch') {
        options.progress?.start(`${label} (PyTorch)`);
        const outcome = await runPytorchBaseline({ ...request, threads: options.pytorchThreads ?? options.workers ?? 1 }, options.progress?.callback);
        if (outcome.ok) baseline = { ...measured(outcome.result.times), description: outcome.result.description, parameters: outcome.result.parameters };
        else options.warn?.(diagnostic('GC744', { spec: target.spec, reason: outcome.reason }));
      } else if (options.baseline) {
        if (!findBaseline(model.name)) {
          options.warn?.(diagnostic('GC720', { spec: target.spec, model: model.name, known: Object.keys(BASELINES) }));
        } else {
          options.progress?.start(`${label} (tfjs-layers)`);
          const result = await runner!.run(request, options.progress?.callback);
          baseline = { ...measured(result.times), description: result.description, parameters: result.parameters };
        }
      }
      options.progress?.done();
      rows.push({ target, model: model.name, params: model.params, plan, parameters: graphc.parameters, ...measured(graphc.times), ...(baseline ? { baseline } : {}) });
    }
  } finally {
    child?.close();
  }
  return { backend, baselineKind: kind, rows };
}
