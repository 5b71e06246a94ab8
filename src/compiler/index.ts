/**
 * The compiler as one call: spec file → diagnostics and, when there are no
 * errors, the IR and the generated module's text.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { emitModule } from './3-codegen/emit.js';
import { hasErrors, type Diagnostic } from '../common/diagnostics/diagnostic.js';
import { analyze } from './2-ir/analyze.js';
import type { IrGraph } from './2-ir/graph.js';
import { loadSpec, loadSpecText, parseOverrides, type LoadResult } from './1-spec/index.js';

export interface CompileOptions {
  /** `--set NAME=VALUE` arguments. */
  readonly set?: readonly string[];
  /** Stop after analysis (graphc check). */
  readonly checkOnly?: boolean;
}

export interface CompileResult {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  /** The spec text, when it could be read (for code frames). */
  readonly text?: string;
  readonly graph?: IrGraph;
  /** The generated module, unless checkOnly or errors. */
  readonly code?: string;
}

export function compileSpec(file: string, options: CompileOptions = {}): CompileResult {
  return finish(file, options, (overrides) => loadSpec(file, { overrides }));
}

/** The checks of compileSpec (schema, names, shapes, dtypes), writing no module: `graphc check`. */
export function checkSpec(file: string, options: Omit<CompileOptions, 'checkOnly'> = {}): CompileResult {
  return compileSpec(file, { ...options, checkOnly: true });
}

/** The same as compileSpec, for a spec already in memory (tests, fuzzing). */
export function compileSpecText(text: string, file: string, options: CompileOptions = {}): CompileResult {
  return finish(file, options, (overrides) => loadSpecText(text, file, { overrides }));
}

function finish(file: string, options: CompileOptions, load: (overrides: ReturnType<typeof parseOverrides>['overrides']) => LoadResult): CompileResult {
  const { overrides, diagnostics: overrideErrors } = parseOverrides(options.set ?? []);
  if (overrideErrors.length > 0) return { file, diagnostics: overrideErrors };
  const loaded = load(overrides);
  const base = { file, ...(loaded.text !== undefined ? { text: loaded.text } : {}) };
  if (!loaded.loaded) return { ...base, diagnostics: loaded.diagnostics };
  const analysis = analyze(loaded.loaded);
  const diagnostics = [...loaded.diagnostics, ...analysis.diagnostics];
  if (!analysis.graph || hasErrors(diagnostics)) return { ...base, diagnostics };
  if (options.checkOnly) return { ...base, diagnostics, graph: analysis.graph };
  const code = emitModule(analysis.graph, { source: displayPath(file), overrides: options.set ?? [] });
  return { ...base, diagnostics, graph: analysis.graph, code };
}

/** The spec path as the generated header shows it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const absolute = resolve(file);
  const rel = relative(process.cwd(), absolute);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  return shown.split(sep).join('/');
}
