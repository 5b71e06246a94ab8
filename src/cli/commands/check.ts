import type { Command } from 'commander';
import { Option } from 'commander';
import { compileSpec } from '../../compiler/index.js';
import type { Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { collect } from '../options.js';
import { diagnosticsJson, reportDiagnostics, summaryLine, type ReportFormat } from '../../tools/report.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate specs and infer their shapes without writing anything')
    .argument('<spec...>', 'graph spec files (YAML)')
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .addOption(new Option('--format <format>', 'how diagnostics are printed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ graphc check graphs/bigru.yaml\n  $ graphc check graphs/*.yaml --format json\n')
    .action((specs: string[], opts: { set: string[]; format: ReportFormat }) => {
      const all: Diagnostic[] = [];
      for (const spec of specs) {
        const result = compileSpec(spec, { set: opts.set, checkOnly: true });
        all.push(...result.diagnostics);
        if (opts.format === 'text') reportDiagnostics(result.diagnostics, new Map([[spec, result.text ?? '']]));
      }
      const errors = all.filter((d) => d.severity === 'error').length;
      if (opts.format === 'json') process.stdout.write(`${diagnosticsJson(all)}\n`);
      else process.stderr.write(`graphc: ${summaryLine(errors, all.length - errors)}\n`);
      if (errors > 0) process.exitCode = 1;
    });
}
