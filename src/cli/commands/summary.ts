import type { Command } from 'commander';
import { Option } from 'commander';
import { compileSpec } from '../../compiler/index.js';
import { GraphcError, hasErrors } from '../../common/diagnostics/diagnostic.js';
import { reportDiagnostics } from '../../tools/report.js';
import { formatSummary, summarize } from '../../tools/summary/model-summary.js';
import { collect } from '../options.js';

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('print a spec\'s model as Keras\'s model.summary() does: every placeholder and node with its op, output shape, parameters and memory (graphc check\'s estimate), then the totals')
    .argument('<spec>', 'a graph spec file (YAML)')
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .addOption(new Option('--format <format>', 'how the summary is printed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ graphc summary graphs/bigru.yaml\n  $ graphc summary graphs/cnn.yaml --set fc_units=512 --format json\n')
    .action((spec: string, opts: { set: string[]; format: 'text' | 'json' }) => {
      const result = compileSpec(spec, { set: opts.set, checkOnly: true });
      const sources = new Map([[spec, result.text ?? '']]);
      if (!result.graph || !result.memory || hasErrors(result.diagnostics)) throw new GraphcError(result.diagnostics, sources);
      reportDiagnostics(result.diagnostics, sources);
      const summary = summarize(result.graph, result.memory);
      process.stdout.write(`${opts.format === 'json' ? JSON.stringify(summary, null, 2) : formatSummary(summary)}\n`);
    });
}
