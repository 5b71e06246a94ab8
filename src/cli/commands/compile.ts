import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { compileSpec, DEFAULT_MODULE_DIR, specHash, type CompileResult } from '../../compiler/index.js';
import { diagnostic, fail, hasErrors } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';
import { recordedSpec } from '../../tools/modules.js';
import { collect } from '../options.js';
import { reportDiagnostics } from '../../tools/report.js';
import { rememberModule } from '../state.js';

export const DEFAULT_OUT_DIR = DEFAULT_MODULE_DIR;

export interface CompiledFile {
  readonly result: CompileResult;
  /** Absent when the spec has errors or its module's path holds another spec's module (GC716, in result.diagnostics). */
  readonly module?: string;
  /** What happened to the module file. */
  readonly change?: 'wrote' | 'replaced' | 'up_to_date';
  /** Why a module was replaced, for its one line. */
  readonly replaced?: { readonly reason: 'spec_changed' | 'recompiled' } | { readonly reason: 'overwrite'; readonly other?: string };
}

/**
 * Compiles a spec into `outDir`, writing its module if the text changed. A
 * module of the same spec (stale or not) is replaced; a module of another spec
 * is refused (GC716) unless `overwrite`.
 */
export function compileToFile(spec: string, outDir: string, set: readonly string[] = [], options: { readonly overwrite?: boolean } = {}): CompiledFile {
  const result = compileSpec(spec, { set, moduleDir: outDir });
  if (!result.code || !result.graph) return { result };
  const module = join(outDir, `${result.graph.name}.ts`);
  let current: string | undefined;
  try {
    current = readFileSync(module, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === result.code) return { result, module, change: 'up_to_date' };
  let replaced: CompiledFile['replaced'];
  if (current !== undefined) {
    const holder = recordedSpec(module, current);
    if (holder === resolve(spec)) {
      const hash = /^export const spec = \{ path: '(?:[^'\\]|\\.)*', sha256: '([0-9a-f]+)' \}/m.exec(current)?.[1];
      replaced = { reason: hash !== undefined && hash !== specHash(result.text ?? '') ? 'spec_changed' : 'recompiled' };
    } else if (options.overwrite) {
      replaced = { reason: 'overwrite', ...(holder !== undefined ? { other: shown(holder) } : {}) };
    } else {
      const taken = diagnostic(
        'GC716',
        holder !== undefined ? { module, spec: shown(spec), holder: 'spec', other: shown(holder) } : { module, spec: shown(spec), holder: 'not_graphc' },
        result.nameLocation,
      );
      return { result: { ...result, diagnostics: [...result.diagnostics, taken] } };
    }
  }
  try {
    writeFileAtomic(module, result.code);
  } catch (error) {
    fail('GC706', { path: module, reason: error instanceof Error ? error.message : String(error) });
  }
  return { result, module, change: replaced ? 'replaced' : 'wrote', ...(replaced ? { replaced } : {}) };
}

/** A path as these messages show it: from the working directory (with ../ when outside it), forward slashes. */
function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return (rel === '' || isAbsolute(rel) ? resolve(path) : rel).split(sep).join('/');
}

/** The one line that says what became of a module: "wrote generated/x.ts", "replaced generated/x.ts (…)". */
export function describeChange(file: CompiledFile, spec: string): string {
  const module = file.module ?? '';
  switch (file.change) {
    case 'up_to_date':
      return `up to date: ${module}`;
    case 'wrote':
      return `wrote ${module}`;
    default: {
      const why = file.replaced;
      const reason =
        why?.reason === 'spec_changed'
          ? `${shown(spec)} changed since it was compiled`
          : why?.reason === 'overwrite'
            ? `--overwrite: it was ${why.other !== undefined ? `the module of ${why.other}` : 'not a module graphc generated'}`
            : `compiled again from ${shown(spec)}`;
      return `replaced ${module} (${reason})`;
    }
  }
}

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
