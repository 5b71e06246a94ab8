/**
 * A spec's module, compiled where the commands want it: compileToFile (graphc
 * compile), moduleForSpec (graphc run), moduleForCheckpoint (every command that
 * opens a run folder). Shared by the command files, which import no other
 * command file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { compileSpec, DEFAULT_MODULE_DIR, specHash, type CompileResult } from '../compiler/index.js';
import { diagnostic, fail, GraphcError } from '../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../common/fs.js';
import type { Checkpoint } from '../runtime/checkpoint.js';
import { compileVariant, outsideProject, recordedSpec } from '../tools/modules.js';
import { reportDiagnostics } from '../tools/report.js';
import { rememberModule } from './state.js';

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

/** Where a spec's module goes: --out-dir (and whether the user gave it), and whether it may replace another spec's module. */
export interface ModuleTarget {
  readonly outDir: string;
  readonly outDirGiven?: boolean;
  readonly overwrite?: boolean;
  /** Whether this becomes what `graphc run` without an argument runs next (not for a sweep's trial: default true). */
  readonly remember?: boolean;
}

/**
 * Compiles a spec when its module is missing or stale and returns the module's
 * path. With --set, or for a spec outside the working directory (unless
 * --out-dir is given), the module is compiled as a variant, named by its
 * content under .graphc/variants/, so the project's generated/ keeps its own
 * specs' modules with their defaults. A module of another spec is not replaced
 * without --overwrite (GC716).
 */
export function moduleForSpec(spec: string, set: readonly string[], target: ModuleTarget): string {
  if (set.length === 0 && (target.outDirGiven === true || !outsideProject(spec))) {
    const compiled = compileToFile(spec, target.outDir, [], { overwrite: target.overwrite === true });
    const { result, module } = compiled;
    const sources = new Map([[spec, result.text ?? '']]);
    if (!module) throw new GraphcError(result.diagnostics, sources);
    reportDiagnostics(result.diagnostics, sources);
    if (compiled.change === 'replaced') process.stderr.write(`graphc: ${describeChange(compiled, spec)}\n`);
    if (target.remember !== false) rememberModule(module, spec);
    return module;
  }
  const module = compileVariant(spec, set);
  // A spec from elsewhere is what `graphc run` without an argument runs next; a --set variant is not.
  if (set.length === 0 && target.remember !== false) rememberModule(module, spec);
  return module;
}

/** The module a checkpoint was trained with: its spec, compiled with the params it differs in. */
export function moduleForCheckpoint(checkpoint: Checkpoint, target: ModuleTarget): string {
  return moduleForSpec(checkpoint.header.source, checkpointOverrides(checkpoint), target);
}

/** The `--set` arguments that turn the checkpoint's spec into the model it was trained as. */
export function checkpointOverrides(checkpoint: Checkpoint): string[] {
  const { source, params } = checkpoint.header;
  const defaults = compileSpec(source, { checkOnly: true });
  if (!defaults.graph) throw new GraphcError(defaults.diagnostics, new Map([[source, defaults.text ?? '']]));
  return Object.entries(params)
    .filter(([name, value]) => defaults.graph!.params[name] !== value)
    .map(([name, value]) => `${name}=${String(value)}`);
}
