import type { Command } from 'commander';
import { Option } from 'commander';
import { totalmem } from 'node:os';
import { compileSpec, type ModuleMemory } from '../../compiler/index.js';
import type { Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { collect } from '../options.js';
import { bytes } from '../../common/bytes.js';
import { diagnosticsJson, reportDiagnostics, summaryLine, type ReportFormat } from '../../tools/report.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate specs, infer their shapes and estimate their training memory, without writing anything')
    .argument('<spec...>', 'graph spec files (YAML)')
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .addOption(new Option('--format <format>', 'how diagnostics are printed').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ graphc check graphs/bigru.yaml\n  $ graphc check graphs/*.yaml --format json\n  $ graphc check graphs/bigru.yaml --set hidden_size=1024   # does the variant fit?\n')
    .action((specs: string[], opts: { set: string[]; format: ReportFormat }) => {
      const all: Diagnostic[] = [];
      for (const spec of specs) {
        const result = compileSpec(spec, { set: opts.set, checkOnly: true });
        all.push(...result.diagnostics);
        if (opts.format === 'text') reportDiagnostics(result.diagnostics, new Map([[spec, result.text ?? '']]));
        if (opts.format === 'text' && result.memory && result.graph) process.stdout.write(`${memoryLine(spec, result.memory, result.graph.train.batchSize)}\n`);
      }
      const errors = all.filter((d) => d.severity === 'error').length;
      if (opts.format === 'json') process.stdout.write(`${diagnosticsJson(all)}\n`);
      else process.stderr.write(`graphc: ${summaryLine(errors, all.length - errors)}\n`);
      if (errors > 0) process.exitCode = 1;
    });
}

/** What `graphc check` says a valid spec will take to train: the estimate of compiler/2-ir/memory.ts. */
function memoryLine(spec: string, memory: ModuleMemory, batchSize: number): string {
  const slots = memory.optimizerSlots > 0 ? ` and ${memory.optimizerSlots} optimizer slots` : '';
  const total = memory.modelBytes + memory.bytesPerExample * batchSize;
  const fits = total > totalmem() ? `, more than this machine's ${bytes(totalmem())}: it cannot train here` : '';
  return (
    `${spec}: ${memory.parameters.toLocaleString('en-US')} parameters (${bytes(memory.modelBytes)} with gradients${slots}); ` +
    `estimated training memory ${bytes(memory.bytesPerExample)} per example, ${bytes(total)} for a batch of ${batchSize}${fits}`
  );
}
