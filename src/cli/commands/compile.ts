import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { compileSpec, type CompileResult } from '../../compiler/index.js';
import { fail, hasErrors } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';
import { collect } from '../options.js';
import { reportDiagnostics } from '../../tools/report.js';
import { rememberModule } from '../state.js';

export const DEFAULT_OUT_DIR = 'generated';

/** Compiles a spec and writes its module if the text changed; returns the module path. */
export function compileToFile(spec: string, outDir: string, set: readonly string[] = []): { result: CompileResult; module?: string; written: boolean } {
  const result = compileSpec(spec, { set });
  if (!result.code || !result.graph) return { result, written: false };
  const module = join(outDir, `${result.graph.name}.ts`);
  let current: string | undefined;
  try {
    current = readFileSync(module, 'utf8');
  } catch {
    current = undefined;
  }
  const written = current !== result.code;
  if (written) {
    try {
      writeFileAtomic(module, result.code);
    } catch (error) {
      fail('GC706', { path: module, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { result, module, written };
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('validate specs, infer shapes, and write each as a typed TypeScript training module')
    .argument('<spec...>', 'graph spec files (YAML)')
    .option('--out-dir <dir>', 'where modules are written', DEFAULT_OUT_DIR)
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .addHelpText('after', '\nExamples:\n  $ graphc compile graphs/bigru.yaml\n  $ graphc compile graphs/*.yaml --out-dir build/\n')
    .action((specs: string[], opts: { outDir: string; set: string[] }) => {
      let failed = false;
      for (const spec of specs) {
        const { result, module, written } = compileToFile(spec, opts.outDir, opts.set);
        reportDiagnostics(result.diagnostics, new Map([[spec, result.text ?? '']]));
        if (hasErrors(result.diagnostics) || !module) {
          failed = true;
          continue;
        }
        rememberModule(module, spec);
        process.stderr.write(`graphc: ${written ? 'wrote' : 'up to date:'} ${module}\n`);
      }
      if (failed) process.exitCode = 1;
    });
}
