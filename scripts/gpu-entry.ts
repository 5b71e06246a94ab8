/**
 * The GPU run as one program, for a folder packed by scripts/gpu-pack.sh
 * (which compiles the model variants and calls `main` with them):
 *
 *  1. a speed table: each variant's training step and test batch timed by
 *     graphc's bench (src/tools/bench: the same timing loop, medians and notebook
 *     protocol as `graphc bench`), with the WebGPU dispatches per step;
 *  2. the full reference experiment with the variant marked `train`, printing the
 *     reference notebook's log line every evaluation and keeping metrics.jsonl,
 *     summary.json and a checkpoint under --out; --deadline-s stops it early
 *     (after a step, with its checkpoint) so the run fits a time budget.
 *
 * It needs nothing outside the packed folder: MNIST comes from --data-dir or
 * GRAPHC_GPU_DATA (the pack's run.sh points that at the packed data/).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { initBackend, type BackendRequest } from '../src/runtime/backends.js';
import { loadMnist } from '../src/runtime/data/index.js';
import type { AnyCompiledModel } from '../src/runtime/model.js';
import { RandomStream } from '../src/runtime/random.js';
import { tf } from '../src/runtime/tf.js';
import { runModel, DEFAULT_SEED } from '../src/runtime/trainer.js';
import type { BenchResult, BenchRow } from '../src/tools/bench/bench.js';
import { ms } from '../src/tools/bench/format.js';
import { timeGraphc, type BenchData } from '../src/tools/bench/graphc.js';
import { measured } from '../src/tools/bench/measured.js';
import { formatReport, jsonRows } from '../src/tools/bench/report.js';
import type { BenchTarget } from '../src/tools/bench/target.js';
import type { TimingPlan } from '../src/tools/bench/timing.js';

export interface Variant {
  readonly label: string;
  /** The spec and --set overrides it was compiled from (the bench table's row). */
  readonly target: BenchTarget;
  readonly model: AnyCompiledModel;
  /** The variant the full experiment trains. */
  readonly train?: boolean;
  /** Timed training steps (composite variants are slow; they get fewer); --bench-steps overrides it. */
  readonly benchSteps?: number;
}

interface Options {
  readonly out: string;
  readonly dataDir: string | undefined;
  readonly backend: BackendRequest;
  readonly benchSteps: number | undefined;
  readonly benchWarmup: number;
  readonly benchEvalBatches: number;
  readonly steps: number | undefined;
  readonly evalEvery: number | undefined;
  readonly evalBatches: number | undefined;
  readonly deadlineSeconds: number;
  readonly bench: boolean;
  readonly train: boolean;
}

const DEFAULT_BENCH_STEPS = 20;

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string', default: 'gpu-out' },
      'data-dir': { type: 'string' },
      backend: { type: 'string', default: 'webgpu' },
      'bench-steps': { type: 'string' },
      'bench-warmup': { type: 'string', default: '2' },
      'bench-eval-batches': { type: 'string', default: '20' },
      steps: { type: 'string' },
      'eval-every': { type: 'string' },
      'eval-batches': { type: 'string' },
      'deadline-s': { type: 'string', default: '420' },
      'skip-bench': { type: 'boolean', default: false },
      'skip-train': { type: 'boolean', default: false },
    },
  });
  const count = (name: string, text: string | undefined, min = 1): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes an integer of at least ${min}, got '${text}'`);
    return n;
  };
  return {
    out: values.out,
    dataDir: values['data-dir'] ?? process.env['GRAPHC_GPU_DATA'],
    backend: values.backend as BackendRequest,
    benchSteps: count('bench-steps', values['bench-steps']),
    benchWarmup: count('bench-warmup', values['bench-warmup'], 0)!,
    benchEvalBatches: count('bench-eval-batches', values['bench-eval-batches'])!,
    steps: count('steps', values.steps),
    evalEvery: count('eval-every', values['eval-every']),
    evalBatches: count('eval-batches', values['eval-batches']),
    deadlineSeconds: count('deadline-s', values['deadline-s'])!,
    bench: !values['skip-bench'],
    train: !values['skip-train'],
  };
}

export async function main(variants: readonly Variant[], argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  mkdirSync(options.out, { recursive: true });
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
    appendFileSync(join(options.out, 'gpu-run.log'), `${line}\n`);
  };
  const backend = await initBackend(options.backend);
  for (const skipped of backend.skipped) log(`skipped backend ${skipped}`);
  log(`backend ${backend.name} on ${backend.device}`);

  if (options.bench) {
    const dispatches = countDispatches();
    const data: BenchData = loadMnist({ random: new RandomStream(DEFAULT_SEED, 'data'), ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}) });
    const rows: BenchRow[] = [];
    const perStep: (number | null)[] = [];
    for (const variant of variants) {
      const { row, dispatchesPerStep } = await benchVariant(variant, data, options, backend.name, dispatches);
      rows.push(row);
      perStep.push(dispatchesPerStep);
      log(`timed ${variant.label}: ${ms(row.train.median)} ms/step, ${ms(row.eval.median)} ms/test batch, ${dispatchesPerStep ?? '—'} dispatches/step`);
    }
    const result: BenchResult = { backend, rows };
    const json = jsonRows(result).map((row, i) => ({ label: variants[i]!.label, ...row, dispatches_per_step: perStep[i] }));
    writeFileSync(join(options.out, 'bench.json'), `${JSON.stringify(json, null, 2)}\n`);
    for (const line of formatReport(result).split('\n')) log(line);
  }

  const trained = variants.find((v) => v.train);
  if (options.train && trained) {
    log(`reference experiment: ${trained.label}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.deadlineSeconds * 1000);
    try {
      const result = await runModel(trained.model, {
        backend: options.backend,
        out: join(options.out, 'reference-experiment'),
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        ...(options.steps !== undefined ? { steps: options.steps } : {}),
        ...(options.evalEvery !== undefined ? { evalEvery: options.evalEvery } : {}),
        ...(options.evalBatches !== undefined ? { evalBatches: options.evalBatches } : {}),
        signal: controller.signal,
        print: log,
        status: log,
      });
      log(`reference experiment: ${result.steps} steps in ${result.wallSeconds.toFixed(1)} s${result.interrupted ? ` (stopped at the ${options.deadlineSeconds} s deadline)` : ''}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return 0;
}

/** Counts WebGPU programs run (one dispatch each), where the backend is webgpu. */
function countDispatches(): { count(): number | null } {
  if (tf.getBackend() !== 'webgpu') return { count: () => null };
  const backend = tf.backend() as WebGPUBackend;
  const run = backend.runWebGPUProgram.bind(backend);
  let n = 0;
  backend.runWebGPUProgram = (...args: Parameters<WebGPUBackend['runWebGPUProgram']>) => {
    n++;
    return run(...args);
  };
  return { count: () => n };
}

/** One variant through `graphc bench`'s timing loop, counting the dispatches of its timed training steps. */
async function benchVariant(
  variant: Variant,
  data: BenchData,
  o: Options,
  backend: BenchResult['backend']['name'],
  dispatches: { count(): number | null },
): Promise<{ row: BenchRow; dispatchesPerStep: number | null }> {
  const { model } = variant;
  const plan: TimingPlan = {
    warmup: o.benchWarmup,
    steps: o.benchSteps ?? variant.benchSteps ?? DEFAULT_BENCH_STEPS,
    evalBatches: o.benchEvalBatches,
    batchSize: model.schedule.batchSize,
    evalBatchSize: model.schedule.evaluation.batchSize,
    clock: 'wall',
  };
  let trainStart: number | null = null;
  let trainEnd: number | null = null;
  const { times, parameters } = await timeGraphc(
    model,
    data,
    plan,
    DEFAULT_SEED,
    (phase, done, total) => {
      if (phase !== 'train') return;
      if (done === 0) trainStart = dispatches.count();
      if (done === total) trainEnd = dispatches.count();
    },
    { workers: 1, backend },
  );
  const row: BenchRow = { target: variant.target, model: model.name, params: model.params, plan, parameters, ...measured(times) };
  const dispatchesPerStep = trainStart === null || trainEnd === null ? null : Math.round((trainEnd - trainStart) / plan.steps);
  return { row, dispatchesPerStep };
}
