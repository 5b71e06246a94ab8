import type { Command } from 'commander';
import { hasErrors } from '../../common/diagnostics/diagnostic.js';
import { compileToFile, DEFAULT_OUT_DIR, describeChange } from '../compiled-module.js';
import { collect } from '../options.js';
import { reportDiagnostics } from '../../tools/report.js';
import { rememberModule } from '../state.js';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('validate specs, infer shapes, and write each as a typed TypeScript training module')
    .argument('<spec...>', 'graph spec files (YAML)')
    .option('--out-dir <dir>', 'where modules are written', DEFAULT_OUT_DIR)
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .option('--overwrite', 'replace a module that another spec of the same name compiled to the same path (without it, that is refused)', false)
    .addHelpText('after', '\nExamples:\n  $ graphc compile graphs/bigru.yaml\n  $ graphc compile graphs/*.yaml --out-dir build/\n')
    .action((specs: string[], opts: { outDir: string; set: string[]; overwrite: boolean }) => {
      let failed = false;
      for (const spec of specs) {
        const compiled = compileToFile(spec, opts.outDir, opts.set, { overwrite: opts.overwrite });
        const { result, module } = compiled;
        reportDiagnostics(result.diagnostics, new Map([[spec, result.text ?? '']]));
        if (hasErrors(result.diagnostics) || !module) {
          failed = true;
          continue;
        }
        rememberModule(module, spec);
        process.stderr.write(`graphc: ${describeChange(compiled, spec)}\n`);
      }
      if (failed) process.exitCode = 1;
    });
}
