/** `graphc sweep status NAME --queue URL` and `graphc sweep cancel NAME --queue URL`: sweeps on a queue. */
import type { Command } from 'commander';

export function registerSweepQueueCommands(sweepCommand: Command): void {
  sweepCommand
    .command('status')
    .description('where a queued sweep stands: counts, workers, and each trial\'s state, step and metric')
    .argument('[name]', 'the sweep (without: the sweeps the queue holds)')
    .requiredOption('--queue <url>', 'the Redis the sweep is queued on: redis://[:PASSWORD@]HOST[:PORT][/DB]')
    .option('--json', 'print the status as JSON')
    .action(async (name: string | undefined, flags: { queue: string; json?: boolean }) => {
      const { formatStatus, queuedSweeps, sweepStatus } = await import('../../tools/sweep/queue/index.js');
      if (name === undefined) {
        const names = await queuedSweeps(flags.queue);
        process.stdout.write(flags.json ? `${JSON.stringify(names)}\n` : names.length > 0 ? `${names.join('\n')}\n` : '');
        return;
      }
      const status = await sweepStatus(name, flags.queue);
      process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
    });
  sweepCommand
    .command('cancel')
    .description('cancel a queued sweep: waiting trials leave the queue, running ones stop (finished ones keep their results)')
    .argument('<name>', 'the sweep')
    .requiredOption('--queue <url>', 'the Redis the sweep is queued on: redis://[:PASSWORD@]HOST[:PORT][/DB]')
    .action(async (name: string, flags: { queue: string }) => {
      const { cancelSweep } = await import('../../tools/sweep/queue/index.js');
      const outcome = await cancelSweep(name, flags.queue);
      process.stderr.write(`graphc: sweep ${name}: ${outcome.removed} waiting trial(s) removed, ${outcome.stopping} running trial(s) stopping, ${outcome.done} done kept\n`);
    });
}
