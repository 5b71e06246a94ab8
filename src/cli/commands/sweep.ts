import type { Command } from 'commander';
import { Option } from 'commander';
import { BACKENDS, type BackendRequest } from '../../runtime/backends.js';
import { DEFAULT_SEED } from '../../runtime/trainer.js';
import { writeDefinition, readDefinition, sweepFolder, SWEEPS_DIR } from '../../tools/sweep/folder.js';
import { defaultParallel, runLocal, type SweepEvent } from '../../tools/sweep/local.js';
import { DEFAULT_REDUCTION, DEFAULT_STARTUP, prepareSweep } from '../../tools/sweep/prepare.js';
import { SAMPLER_NAMES } from '../../tools/sweep/samplers/index.js';
import { PRUNER_NAMES } from '../../tools/sweep/pruners/index.js';
import { trialLabel, writeReport } from '../../tools/sweep/report.js';
import { metricValue } from '../../tools/sweep/definition.js';
import type { SweepDefinition } from '../../tools/sweep/definition.js';
import { backendValue, collect, positiveInteger, seedValue } from '../options.js';
import { stopOnSignals } from '../signals.js';

interface SweepFlags {
  grid: string[];
  random: string[];
  samples?: number;
  repeat: number;
  seed: number;
  set: string[];
  steps?: number;
  evalEvery?: number;
  evalBatches?: number;
  batchSize?: number;
  metric?: string;
  mode?: 'max' | 'min';
  name?: string;
  dir: string;
  parallel?: number;
  workers: number;
  backend: BackendRequest;
  queue?: string;
  sampler?: 'grid' | 'random' | 'tpe';
  startup?: number;
  pruner?: 'asha' | 'median';
  minResource?: number;
  reduction?: number;
  budget?: string;
}

/** Registers `graphc sweep`: run, then the subcommands `more` adds (main passes the queue's, sweep-queue.ts), then report. */
export function registerSweep(program: Command, more: (sweep: Command) => void = () => undefined): void {
  const sweep = program
    .command('sweep')
    .description('train many variants of a spec (a grid, random draws, repeated seeds) and compare them in one table and one plot')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ graphc sweep graphs/bigru.yaml --grid cell_type=gru,block_gru --grid hidden_size=32,64 --set layer_num=1 --steps 300\n' +
        '  $ graphc sweep run --help          # every option of a sweep\n' +
        '  $ graphc sweep report NAME\n' +
        '  $ graphc sweep status NAME --queue redis://:PASSWORD@HOST:6379\n',
    );
  sweep
    .command('run', { isDefault: true })
    .description('run a sweep (the default: `graphc sweep SPEC ...`); the same command again finishes what is left')
    .argument('<spec>', 'the graph spec (YAML) whose params the sweep varies')
    .option('--grid <name=v1,v2,...>', 'try each value of a param; several --grid: every combination (repeatable)', collect, [])
    .option('--random <name=dist>', 'draw a param from uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH or choice:A|B|C (repeatable; with --samples)', collect, [])
    .option('--samples <n>', 'random draws (from --seed)', positiveInteger('--samples'))
    .option('--repeat <n>', 'seeds per variant: --seed, --seed + 1, ...', positiveInteger('--repeat'), 1)
    .option('--seed <n>', 'the first seed of each variant, and the seed of the random draws', seedValue, DEFAULT_SEED)
    .option('--set <name=value>', 'a param every trial shares (repeatable)', collect, [])
    .option('--steps <n>', 'training steps of each trial (default: the spec\'s)', positiveInteger('--steps'))
    .option('--eval-every <n>', 'evaluate after every n steps (default: the spec\'s)', positiveInteger('--eval-every'))
    .option('--eval-batches <n>', 'test batches per evaluation (default: the spec\'s)', positiveInteger('--eval-batches'))
    .option('--batch-size <n>', 'examples per batch (default: the spec\'s)', positiveInteger('--batch-size'))
    .option('--metric <name>', 'what the table sorts by, e.g. test.acc or test.cost (default: the spec\'s accuracy-like metric, else its loss)')
    .addOption(new Option('--mode <mode>', 'whether higher or lower --metric is better (default: max for accuracy, min otherwise)').choices(['max', 'min']))
    .option('--name <name>', 'the sweep\'s name and folder (default: the model and a hash of the sweep, so the same command names the same sweep)')
    .option('--dir <dir>', 'where sweep folders go', SWEEPS_DIR)
    .option('--parallel <n>', 'trials at once (default: what the cores allow, given --workers; with --queue and --sampler: trials in flight, default what the live workers take)', positiveInteger('--parallel'))
    .option('--workers <n>', 'worker threads of each trial (graphc run --workers)', positiveInteger('--workers'), 1)
    .addOption(new Option('--backend <name>', 'where each trial computes').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .addOption(new Option('--sampler <name>', 'search: draw trials one at a time, each from what the finished ones showed (tpe models them after --startup random draws)').choices([...SAMPLER_NAMES]))
    .option('--startup <n>', `random draws before --sampler tpe models (default ${DEFAULT_STARTUP})`, positiveInteger('--startup'))
    .addOption(new Option('--pruner <name>', 'stop trials early when their curves say they will not be among the best (asha: successive halving at rungs; median: below the median)').choices([...PRUNER_NAMES]))
    .option('--min-resource <steps>', 'the first rung (asha) or warm-up (median), in steps, a multiple of --eval-every (default: the first evaluation)', positiveInteger('--min-resource'))
    .option('--reduction <n>', `asha: 1 in n trials goes on at each rung, the rungs n times apart (default ${DEFAULT_REDUCTION})`, positiveInteger('--reduction'))
    .option('--budget <steps|time>', 'end the sweep when its trials have trained this many steps in all (20000), or after this long (30m)')
    .option('--queue <url>', 'run the trials on `graphc worker`s through Redis instead of here: redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ graphc sweep graphs/bigru.yaml --grid cell_type=gru,block_gru --grid hidden_size=32,64 --set layer_num=1 --steps 1000 --eval-every 100 --eval-batches 20\n' +
        '  $ graphc sweep graphs/bigru.yaml --random learning_rate=loguniform:1e-4:1e-2 --samples 8 --steps 500\n' +
        '  $ graphc sweep graphs/bigru.yaml --grid hidden_size=32,64 --queue redis://:PASSWORD@host:6379   # and on each machine: graphc worker --queue ...\n' +
        '  $ graphc sweep report bigru-3fa2c1\n',
    )
    .action(async (spec: string, flags: SweepFlags) => {
      const schedule = {
        ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
        ...(flags.evalEvery !== undefined ? { evalEvery: flags.evalEvery } : {}),
        ...(flags.evalBatches !== undefined ? { evalBatches: flags.evalBatches } : {}),
        ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
      };
      const { definition, dir } = prepareSweep(
        spec,
        {
          grid: flags.grid,
          random: flags.random,
          ...(flags.samples !== undefined ? { samples: flags.samples } : {}),
          repeat: flags.repeat,
          seed: flags.seed,
          set: flags.set,
          schedule,
          ...(flags.metric !== undefined ? { metric: flags.metric } : {}),
          ...(flags.mode !== undefined ? { mode: flags.mode } : {}),
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.sampler !== undefined ? { sampler: flags.sampler } : {}),
          ...(flags.startup !== undefined ? { startup: flags.startup } : {}),
          ...(flags.pruner !== undefined ? { pruner: flags.pruner } : {}),
          ...(flags.minResource !== undefined ? { minResource: flags.minResource } : {}),
          ...(flags.reduction !== undefined ? { reduction: flags.reduction } : {}),
          ...(flags.budget !== undefined ? { budget: flags.budget } : {}),
        },
        flags.dir,
      );
      writeDefinition(dir, definition);
      if (flags.queue !== undefined) return runOnQueue(definition, dir, flags.queue, flags.parallel);
      const parallel = flags.parallel ?? defaultParallel(flags.workers);
      const what = definition.options.search ? `a ${definition.options.search.sampler} search${definition.options.pruner ? ` with ${definition.options.pruner.name} pruning` : ''}` : `${definition.trials.length} trials`;
      process.stderr.write(`graphc sweep: ${definition.name}: ${what}, ${parallel} at a time, in ${dir}/\n`);
      const stop = stopOnSignals({
        first: (signal) => `graphc sweep: ${signal}: the running trials stop after their step, with checkpoints (again to stop at once); then rerun the same command to resume ${definition.name}`,
        second: (signal) => `graphc sweep: ${signal} again: stopping the running trials now (their last checkpoints stand)`,
        onSecond: 'abandon',
      });
      let counts;
      try {
        counts = await runLocal(definition, dir, {
          parallel,
          backend: flags.backend,
          workers: flags.workers,
          signal: stop.signal,
          abandon: stop.abandon,
          onEvent: progressPrinter(definition),
        });
      } finally {
        stop.dispose();
      }
      const { table } = await writeReport(definition, dir);
      process.stdout.write(`${table}\n`);
      process.stderr.write(`graphc sweep: results in ${dir}/: results.csv, curves.svg, params.svg\n`);
      if (counts.interrupted > 0 || stop.signal.aborted) {
        process.stderr.write(`graphc sweep: interrupted; checkpoints kept: the same command resumes the sweep\n`);
        process.exitCode = 130;
      } else if (counts.failed > 0) {
        process.stderr.write(`graphc sweep: ${counts.failed} of ${definition.trials.length} trials failed (their reasons are above and in the table)\n`);
        process.exitCode = 1;
      }
    });
  more(sweep);
  sweep
    .command('report')
    .description('print a sweep\'s table again and redraw results.csv, curves.svg and params.svg')
    .argument('<name>', 'the sweep\'s name (its folder under --dir)')
    .option('--dir <dir>', 'where sweep folders are', SWEEPS_DIR)
    .action(async (name: string, flags: { dir: string }) => {
      const dir = sweepFolder(name, flags.dir);
      const { table } = await writeReport(readDefinition(dir), dir);
      process.stdout.write(`${table}\n`);
    });
}

/** The trials on `graphc worker`s through Redis; this process follows them and writes the sweep folder. */
async function runOnQueue(definition: SweepDefinition, dir: string, url: string, parallel: number | undefined): Promise<void> {
  const { queuedExitCode, redactUrl, runQueued } = await import('../../tools/sweep/queue/index.js');
  const search = definition.options.search;
  const what = search
    ? `a ${search.sampler} search${definition.options.pruner ? ` with ${definition.options.pruner.name} pruning` : ''}, ${parallel ?? 'as many as the workers take'} at a time,`
    : `${definition.trials.length} trials`;
  process.stderr.write(`graphc sweep: ${definition.name}: ${what} on the queue at ${redactUrl(url)}, in ${dir}/\n`);
  // The trials go on on the workers: a signal only stops following them.
  const stop = stopOnSignals({
    first: (signal) => `graphc sweep: ${signal}: no longer following ${definition.name}; its trials go on on the workers (graphc sweep status ${definition.name} --queue ...)`,
    second: (signal) => `graphc sweep: ${signal} again: exiting`,
    onSecond: 'exit',
  });
  let outcome;
  try {
    outcome = await runQueued(definition, dir, { queue: url, signal: stop.signal, ...(parallel !== undefined ? { parallel } : {}) });
  } finally {
    stop.dispose();
  }
  const { table } = await writeReport(definition, dir);
  process.stdout.write(`${table}\n`);
  process.stderr.write(`graphc sweep: results in ${dir}/: results.csv, curves.svg, params.svg\n`);
  process.exitCode = queuedExitCode(outcome);
}

/** One line per event on stderr: the trial, what happened, and the sweep's counts. */
function progressPrinter(definition: SweepDefinition): (event: SweepEvent) => void {
  const running = new Set<string>();
  let done = 0;
  let failed = 0;
  let pruned = 0;
  // A search draws its trials as it goes: its total is not known.
  const total = definition.options.search ? '' : ` of ${definition.trials.length}`;
  return (event) => {
    if (event.kind === 'budget') {
      process.stderr.write(`graphc sweep: the budget (${event.spent}) is spent: no new trial starts, running ones stop at their next evaluation\n`);
      return;
    }
    const label = `${event.trial.id} ${trialLabel(definition, event.trial)}`;
    let what: string;
    switch (event.kind) {
      case 'start':
        running.add(event.trial.id);
        what = event.promoted ? 'promoted: resumed from its checkpoint' : event.resumed ? 'resumed from its checkpoint' : 'started';
        break;
      case 'evaluation': {
        const value = metricValue(event.evaluation, definition.metric.name);
        what = `step ${event.evaluation.step}, ${definition.metric.name} ${value === undefined ? '?' : value.toFixed(4)}`;
        break;
      }
      case 'done':
        running.delete(event.trial.id);
        done++;
        what = 'done';
        break;
      case 'pruned':
        running.delete(event.trial.id);
        pruned++;
        what = `pruned at step ${event.step} (checkpoint kept)`;
        break;
      case 'failed':
        running.delete(event.trial.id);
        failed++;
        what = `failed: ${event.reason}`;
        break;
      case 'interrupted':
        running.delete(event.trial.id);
        what = 'stopped with a checkpoint';
        break;
    }
    const prunedCount = definition.options.pruner ? `, ${pruned} pruned` : '';
    process.stderr.write(`graphc sweep: [${done} done, ${running.size} running${prunedCount}, ${failed} failed${total}] ${label}: ${what}\n`);
  };
}
