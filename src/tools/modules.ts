/**
 * Generated modules as the tools use them: a spec compiled as a variant (its
 * --set overrides applied, written under .graphc/variants/ and named by its
 * content, so generated/ keeps the spec's own defaults), and a module imported
 * and checked to be graphc's.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSpec } from '../compiler/index.js';
import { specFile, type AnyCompiledModel } from '../runtime/model.js';
import type { RunOptions, RunResult } from '../runtime/trainer.js';
import { fail, GraphcError, hasErrors } from '../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../common/fs.js';
import { reportDiagnostics } from './report.js';

/** What a generated module exports that the tools need. */
export interface LoadedModule {
  readonly path: string;
  readonly name: string;
  readonly source: string;
  readonly model: AnyCompiledModel;
  run(options: RunOptions): Promise<RunResult>;
}

const VARIANT_DIR = join('.graphc', 'variants');

export function isSpecPath(path: string): boolean {
  return ['.yaml', '.yml'].includes(extname(path).toLowerCase());
}

/** Compiles `spec` with the overrides `set` into `dir` (once per distinct module) and returns the module's path. */
export function compileVariant(spec: string, set: readonly string[], dir = VARIANT_DIR): string {
  const result = compileSpec(spec, { set, moduleDir: dir });
  const sources = new Map([[spec, result.text ?? '']]);
  if (!result.code || !result.graph || hasErrors(result.diagnostics)) throw new GraphcError(result.diagnostics, sources);
  reportDiagnostics(result.diagnostics, sources);
  const hash = createHash('sha256').update(result.code).digest('hex').slice(0, 12);
  const module = join(dir, `${result.graph.name}-${hash}.ts`);
  if (!existsSync(module)) writeFileAtomic(module, result.code);
  return module;
}

/** Whether a spec lies outside the working directory (the current project): its module then goes where no project module is. */
export function outsideProject(spec: string): boolean {
  const path = relative(process.cwd(), resolve(spec));
  return path.startsWith('..') || isAbsolute(path);
}

/**
 * The spec a module file records, as an absolute path: from its `spec`
 * export (relative to the module), or, in a module compiled before graphc
 * recorded that, from its `source` (relative to the working directory);
 * undefined when the text is not a module graphc generated.
 */
export function recordedSpec(modulePath: string, text: string): string | undefined {
  const string = "'((?:[^'\\\\]|\\\\.)*)'";
  const recorded = new RegExp(`^export const spec = \\{ path: ${string}, sha256: '[0-9a-f]+' \\} as const;$`, 'm').exec(text);
  if (recorded) return resolve(dirname(modulePath), unquote(recorded[1]!));
  const old = new RegExp(`^export const model: CompiledModel<Feeds, Variables, Nodes> = \\{ name: ${string}, source: ${string},`, 'm').exec(text);
  return old ? resolve(unquote(old[2]!)) : undefined;
}

/** The value of a string literal that codegen's quote() wrote (its inside, without the quotes). */
function unquote(inside: string): string {
  return JSON.parse(`"${inside.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
}

export async function importModule(path: string): Promise<LoadedModule> {
  if (!existsSync(path)) fail('GC702', { reason: 'missing', path });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    return fail('GC702', { reason: 'load_failed', path, loaderMessage: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) });
  }
  const model = mod['model'] as { source?: unknown; spec?: unknown; name?: unknown } | undefined;
  const run = mod['run'];
  if (typeof run !== 'function' || typeof model !== 'object' || model === null || (typeof model.source !== 'string' && typeof model.spec !== 'object') || typeof model.name !== 'string') {
    fail('GC702', { reason: 'not_a_module', path });
  }
  return { path, name: model.name as string, source: specFile(model as AnyCompiledModel), model: model as AnyCompiledModel, run: run as LoadedModule['run'] };
}
