/**
 * The compiler as one call: spec file → diagnostics and, when there are no
 * errors, the IR and the generated module's text.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { displayPath } from '../common/fs.js';
import { emitModule, type ModuleMemory } from './3-codegen/emit.js';
import { estimateMemory } from './2-ir/memory.js';

export type { ModuleMemory };
import { hasErrors, type Diagnostic, type SourceLocation } from '../common/diagnostics/diagnostic.js';
import { analyze } from './2-ir/analyze.js';
import type { IrGraph } from './2-ir/graph.js';
import { loadSpec, loadSpecText, parseOverrides, type LoadResult } from './1-spec/index.js';

export interface CompileOptions {
  /** `--set NAME=VALUE` arguments. */
  readonly set?: readonly string[];
  /** Stop after analysis (graphc check). */
  readonly checkOnly?: boolean;
  /** The folder the module will be written to: its header names the spec by a path from there (default: generated). */
  readonly moduleDir?: string;
}

/** Where `graphc compile` writes modules unless told otherwise. */
export const DEFAULT_MODULE_DIR = 'generated';

export interface CompileResult {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  /** The spec text, when it could be read (for code frames). */
  readonly text?: string;
  readonly graph?: IrGraph;
  /** The generated module, unless checkOnly or errors. */
  readonly code?: string;
  /** The training memory estimate, with the param that sizes the model most, when the graph is valid. */
  readonly memory?: ModuleMemory;
  /** Where the spec's `name:` is (messages about the module as a whole point there), when the spec loaded. */
  readonly nameLocation?: SourceLocation;
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
  const located = { ...base, nameLocation: loaded.loaded.sourceMap.locate('/name', 'key') };
  const analysis = analyze(loaded.loaded);
  const diagnostics = [...loaded.diagnostics, ...analysis.diagnostics];
  if (!analysis.graph || hasErrors(diagnostics)) return { ...located, diagnostics };
  const memory = { ...estimateMemory(analysis.graph), ...sizedBy(analysis.graph, overrides, load) };
  if (options.checkOnly) return { ...located, diagnostics, graph: analysis.graph, memory };
  const moduleDir = options.moduleDir ?? DEFAULT_MODULE_DIR;
  const code = emitModule(analysis.graph, {
    source: displayPath(file),
    spec: { path: specFromModule(file, moduleDir), sha256: specHash(loaded.loaded.text) },
    overrides: options.set ?? [],
    memory,
  });
  return { ...located, diagnostics, graph: analysis.graph, code, memory };
}

/** The spec's path as a module in `moduleDir` names it: relative to that folder, with forward slashes (never the machine's absolute path). */
export function specFromModule(spec: string, moduleDir: string): string {
  const path = relative(resolve(moduleDir), resolve(spec));
  // Only on Windows, across drives, is there no relative path: the file's name is then all that can be said.
  return (isAbsolute(path) ? (resolve(spec).split(sep).at(-1) ?? path) : path).split(sep).join('/');
}

/** The SHA-256 of a spec's text, as modules record it. */
export function specHash(text: string): string {
  // Line endings as git may check them out on Windows do not make another spec.
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

type Overrides = ReturnType<typeof parseOverrides>['overrides'];

/**
 * The integer param whose value sizes the model most: the one whose halving
 * saves the most model memory (each candidate is analysed again at half its
 * value), so that a model too large to train can name what to change.
 */
function sizedBy(graph: IrGraph, overrides: Overrides, load: (overrides: Overrides) => LoadResult): { sizedBy?: { param: string; value: number } } {
  const full = estimateMemory(graph).modelBytes;
  let best: { param: string; value: number; saved: number } | undefined;
  for (const [param, value] of Object.entries(graph.params)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) continue;
    const half = Math.floor(value / 2);
    const loaded = load([...overrides.filter((o) => o.name !== param), { name: param, value: half, raw: `${param}=${half}` }]);
    if (!loaded.loaded || hasErrors(loaded.diagnostics)) continue;
    const analysis = analyze(loaded.loaded);
    if (!analysis.graph || hasErrors(analysis.diagnostics)) continue;
    const saved = full - estimateMemory(analysis.graph).modelBytes;
    if (saved > 0 && (!best || saved > best.saved)) best = { param, value, saved };
  }
  return best ? { sizedBy: { param: best.param, value: best.value } } : {};
}

