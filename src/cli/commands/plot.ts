import type { Command } from 'commander';
import { join } from 'node:path';
import { CURVES_FILE, labelRuns, readRun, renderCurves } from '../../tools/plot/curves.js';
import { writeFileAtomic } from '../../common/fs.js';
import { fail } from '../../common/diagnostics/diagnostic.js';

export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('draw the training curves of run folders as SVG: one run into its own curves.svg, several overlaid in one chart')
    .argument('<dir...>', 'run folders written by `graphc run` (each holds metrics.jsonl)')
    .option('--out <file>', `the SVG to write (default: DIR/${CURVES_FILE} for one run, ./${CURVES_FILE} for several)`)
    .option('--title <text>', 'the chart title')
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc plot runs/bigru-20250101-120000\n  $ graphc plot runs/gru runs/block_gru --out gru-vs-block_gru.svg --title "gru vs block_gru"\n',
    )
    .action(async (dirs: string[], opts: { out?: string; title?: string }) => {
      const runs = labelRuns(dirs.map((dir) => readRun(dir)));
      const out = opts.out ?? (dirs.length === 1 ? join(dirs[0]!, CURVES_FILE) : CURVES_FILE);
      const svg = await renderCurves(runs, opts.title);
      try {
        writeFileAtomic(out, svg);
      } catch (error) {
        fail('GC706', { path: out, reason: error instanceof Error ? error.message : String(error) });
      }
      process.stderr.write(`graphc: wrote ${out} (${runs.map((r) => r.label).join(', ')})\n`);
    });
}
