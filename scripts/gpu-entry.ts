/**
 * The GPU run as one program, for a folder packed by scripts/gpu-pack.sh
 * (which compiles the model variants and calls `main` with them):
 *
 *  1. a speed table: each variant's training step and evaluation batch, timed
 *     side by side in this process (medians of rounds), with the WebGPU
 *     dispatches per step, and the seed protocol (500 training steps + 100
 *     test batches) they imply; `graphc bench --table` will replace this once
 *     it exists;
 *  2. the full seed experiment with the variant marked `train`, printing the
 *     seed's log line every evaluation and keeping metrics.jsonl,
 *     summary.json and a checkpoint under --out; --deadline-s stops it early
 *     (after a step, with its checkpoint) so the run fits a time budget.
 *
 * It needs nothing outside the packed folder: MNIST comes from --data-dir or
 * GRAPHC_GPU_DATA (run.sh points that at the packed data/).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { initBackend, type BackendRequest } from '../src/runtime/backends.js';
import { loadMnist } from '../src/runtime/data/index.js';
import type { AnyCompiledModel } from '../src/runtime/model.js';
import { RandomStream } from '../src/runtime/random.js';
import { TrainingSession } from '../src/runtime/session.js';
import { tf } from '../src/runtime/tf.js';
import { runModel, DEFAULT_SEED } from '../src/runtime/trainer.js';

export interface Variant {
  readonly label: string;
  readonly model: AnyCompiledModel;
  /** The variant the full experiment trains. */
  readonly train?: boolean;
  /** Timed steps per round (composite variants are slow; they get fewer). */
  readonly benchSteps?: number;
}

interface Options {
  readonly out: string;
  readonly dataDir: string | undefined;
  readonly backend: BackendRequest;
  readonly benchSteps: number;
  readonly benchRounds: number;
  readonly evalBatches: number;
  readonly steps: number | undefined;
  readonly evalEvery: number | undefined;
  readonly evalBatchesTrain: number | undefined;
  readonly deadlineSeconds: number;
  readonly bench: boolean;
  readonly train: boolean;
}

interface BenchRow {
  readonly label: string;
  readonly stepMs: number;
  readonly stepRoundsMs: readonly number[];
  readonly evalBatchMs: number;
  readonly dispatchesPerStep: number | null;
  /** 500 training steps + 100 test batches, the seed's "pass". */
  readonly seedProtocolSeconds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      backend: { type: 'string', default: 'webgpu' },
      'bench-steps': { type: 'string', default: '20' },
      'bench-rounds': { type: 'string', default: '3' },
      'bench-eval-batches': { type: 'string', default: '20' },
      steps: { type: 'string' },
      'eval-every': { type: 'string' },
      'eval-batches': { type: 'string' },
      'deadline-s': { type: 'string', default: '420' },
      'skip-bench': { type: 'boolean', default: false },
      'skip-train': { type: 'boolean', default: false },
    },
  });
  const count = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, got '${text}'`);
    return n;
  };
  return {
    out: values.out ?? process.env['OUT'] ?? 'gpu-out',
    dataDir: values['data-dir'] ?? process.env['GRAPHC_GPU_DATA'],
    backend: values.backend as BackendRequest,
    benchSteps: count('bench-steps', values['bench-steps'])!,
    benchRounds: count('bench-rounds', values['bench-rounds'])!,
    evalBatches: count('bench-eval-batches', values['bench-eval-batches'])!,
    steps: count('steps', values.steps),
    evalEvery: count('eval-every', values['eval-every']),
    evalBatchesTrain: count('eval-batches', values['eval-batches']),
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
  const dispatches = countDispatches();

  if (options.bench) {
    const rows: BenchRow[] = [];
    for (const variant of variants) {
      rows.push(await benchVariant(variant, options, dispatches));
      log(`timed ${variant.label}: ${rows.at(-1)!.stepMs.toFixed(2)} ms/step`);
    }
    writeFileSync(join(options.out, 'bench.json'), `${JSON.stringify({ device: backend.device, options, rows }, null, 2)}\n`);
    for (const line of benchTable(rows, options)) log(line);
  }

  const trained = variants.find((v) => v.train);
  if (options.train && trained) {
    log(`seed experiment: ${trained.label}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.deadlineSeconds * 1000);
    try {
      const result = await runModel(trained.model, {
        backend: options.backend,
        out: join(options.out, 'seed-experiment'),
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        ...(options.steps !== undefined ? { steps: options.steps } : {}),
        ...(options.evalEvery !== undefined ? { evalEvery: options.evalEvery } : {}),
        ...(options.evalBatchesTrain !== undefined ? { evalBatches: options.evalBatchesTrain } : {}),
        signal: controller.signal,
        print: log,
        status: log,
      });
      log(`seed experiment: ${result.steps} steps in ${result.wallSeconds.toFixed(1)} s${result.interrupted ? ` (stopped at the ${options.deadlineSeconds} s deadline)` : ''}`);
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

async function benchVariant(variant: Variant, o: Options, dispatches: { count(): number | null }): Promise<BenchRow> {
  const data = loadMnist({ ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), random: new RandomStream(DEFAULT_SEED, 'data') });
  const session = new TrainingSession(variant.model, DEFAULT_SEED);
  const batchSize = variant.model.schedule.batchSize;
  const steps = variant.benchSteps ?? o.benchSteps;
  /** `n` steps, waiting for the GPU to finish the last: what n steps cost. */
  const trainSteps = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const metrics = session.trainStep(data.train.nextBatch(batchSize));
      if (i === n - 1) await metrics.data();
      metrics.dispose();
    }
  };
  try {
    await trainSteps(2); // compiles every pipeline
    const before = dispatches.count();
    await trainSteps(1);
    const after = dispatches.count();
    const rounds: number[] = [];
    for (let r = 0; r < o.benchRounds; r++) {
      const start = performance.now();
      await trainSteps(steps);
      rounds.push((performance.now() - start) / steps);
    }
    await session.evaluateAsync(data.test, 1, batchSize);
    const evalStart = performance.now();
    await session.evaluateAsync(data.test, o.evalBatches, batchSize);
    const evalBatchMs = (performance.now() - evalStart) / o.evalBatches;
    const stepMs = median(rounds);
    return {
      label: variant.label,
      stepMs,
      stepRoundsMs: rounds,
      evalBatchMs,
      dispatchesPerStep: before === null || after === null ? null : after - before,
      seedProtocolSeconds: (500 * stepMs + 100 * evalBatchMs) / 1000,
    };
  } finally {
    session.dispose();
  }
}

function benchTable(rows: readonly BenchRow[], o: Options): string[] {
  return [
    `| model | ms / training step (median of ${o.benchRounds} rounds) | ms / test batch | dispatches / step | seed protocol (500 steps + 100 test batches), s |`,
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.stepMs.toFixed(2)} | ${r.evalBatchMs.toFixed(2)} | ${r.dispatchesPerStep ?? '—'} | ${r.seedProtocolSeconds.toFixed(2)} |`),
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
