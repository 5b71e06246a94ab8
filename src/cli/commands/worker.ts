import type { Command } from 'commander';
import { Option } from 'commander';
import { BACKENDS } from '../../runtime/backends.js';
import { SWEEPS_DIR } from '../../tools/sweep/folder.js';
import { positiveInteger } from '../options.js';
import { stopOnSignals } from '../signals.js';

interface WorkerFlags {
  queue: string;
  concurrency: number;
  store: string;
  lockDuration: number;
  maxJobBytes: number;
  backend?: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the trials of queued sweeps (graphc sweep --queue) on this machine, until Ctrl-C')
    .requiredOption('--queue <url>', 'the Redis the sweeps are queued on: redis://[:PASSWORD@]HOST[:PORT][/DB], rediss:// for TLS')
    .option('--concurrency <n>', 'trials at once', positiveInteger('--concurrency'), 1)
    .option('--store <dir>', 'the folder of sweeps, shared by every worker: a trial\'s run folder and checkpoint are <dir>/<sweep>/trials/<trial>/, so any worker resumes it', SWEEPS_DIR)
    .option('--lock-duration <seconds>', 'a dead worker\'s trial goes to another worker after about this long', positiveInteger('--lock-duration'), 30)
    .option('--max-job-bytes <n>', 'refuse jobs bigger than this', positiveInteger('--max-job-bytes'), 1_000_000)
    .addOption(new Option('--backend <name>', 'where the trials\' tensors compute (default: graphc run\'s)').choices([...BACKENDS]))
    .addHelpText(
      'after',
      '\nA Ctrl-C (or SIGTERM) stops after each running trial\'s step: it checkpoints and goes back to the queue; a second one stops at once.\n\nExamples:\n  $ graphc worker --queue redis://:PASSWORD@HOST:6379\n  $ graphc worker --queue rediss://:PASSWORD@redis.example.com:6380 --concurrency 2 --store /mnt/shared/sweeps\n',
    )
    .action(async (flags: WorkerFlags) => {
      const { runWorker } = await import('../../tools/sweep/queue/worker.js');
      const stop = stopOnSignals({
        first: (signal) => `graphc worker: ${signal}: the running trials finish their step and go back to the queue (again to stop at once)`,
        second: (signal) => `graphc worker: ${signal} again: stopping at once; the trials' last checkpoints stand`,
        onSecond: 'abandon-then-exit',
      });
      try {
        await runWorker(
          {
            queue: flags.queue,
            concurrency: flags.concurrency,
            store: flags.store,
            lockDuration: flags.lockDuration * 1000,
            maxJobBytes: flags.maxJobBytes,
            ...(flags.backend ? { backend: flags.backend } : {}),
          },
          { stop: stop.signal, abandon: stop.abandon },
        );
      } finally {
        stop.dispose();
      }
      if (stop.received()) process.exitCode = stop.exitCode();
    });
}
