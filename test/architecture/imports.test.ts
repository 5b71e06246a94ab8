/**
 * The import graph of src/ holds the project's one-way rule: common leaves at
 * the bottom, the compiler's phases in their numbered order, the runtime beside
 * the compiler (never importing it: generated modules and users' programs load
 * no compiler), tools above both, the CLI on top — and no cycles, between
 * areas or between files. Every import counts, `import type` and dynamic
 * `import()` included: a cycle through types is still a knot for the reader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The areas of src/, lowest first. An area may import itself and the areas it
 * lists; the first area whose pattern matches a file is the file's.
 */
const AREAS: ReadonlyArray<{ readonly name: string; readonly files: RegExp; readonly imports: readonly string[] }> = [
  { name: 'common', files: /^src\/common\//, imports: [] },
  { name: 'compiler/types', files: /^src\/compiler\/types\//, imports: ['common'] },
  { name: 'compiler/ops', files: /^src\/compiler\/ops\//, imports: ['common', 'compiler/types'] },
  { name: 'compiler/1-spec', files: /^src\/compiler\/1-spec\//, imports: ['common', 'compiler/types', 'compiler/ops'] },
  { name: 'compiler/2-ir', files: /^src\/compiler\/2-ir\//, imports: ['common', 'compiler/types', 'compiler/ops', 'compiler/1-spec'] },
  { name: 'compiler/3-codegen', files: /^src\/compiler\/3-codegen\//, imports: ['common', 'compiler/types', 'compiler/ops', 'compiler/1-spec', 'compiler/2-ir'] },
  { name: 'compiler', files: /^src\/compiler\//, imports: ['common', 'compiler/types', 'compiler/ops', 'compiler/1-spec', 'compiler/2-ir', 'compiler/3-codegen'] },
  // The runtime's foundation: the one tfjs instance, seeded randomness, initialisers.
  { name: 'runtime/base', files: /^src\/runtime\/(tf|random|init|platform\/platform)\.ts$/, imports: ['common'] },
  { name: 'runtime/kernels', files: /^src\/runtime\/kernels\//, imports: ['common', 'runtime/base'] },
  { name: 'runtime/rnn', files: /^src\/runtime\/rnn\//, imports: ['common', 'runtime/base', 'runtime/kernels'] },
  { name: 'runtime', files: /^src\/runtime\//, imports: ['common', 'runtime/base', 'runtime/kernels', 'runtime/rnn'] },
  { name: 'tools', files: /^src\/tools\//, imports: ['common', 'compiler', 'compiler/types', 'compiler/ops', 'compiler/1-spec', 'compiler/2-ir', 'runtime', 'runtime/base', 'runtime/kernels', 'runtime/rnn'] },
  // Model formats of other frameworks (ONNX) to and from specs and checkpoints: a tool-level area.
  { name: 'interop', files: /^src\/interop\//, imports: ['common', 'compiler', 'compiler/types', 'compiler/ops', 'compiler/1-spec', 'compiler/2-ir', 'compiler/3-codegen', 'runtime', 'runtime/base', 'runtime/kernels', 'runtime/rnn', 'tools'] },
  // A bundled page's script (graphc bundle): the runtime's browser side, and the curves' chart.
  { name: 'page', files: /^src\/page\//, imports: ['common', 'runtime', 'runtime/base', 'runtime/kernels', 'runtime/rnn', 'tools'] },
  { name: 'cli', files: /^src\/cli\//, imports: ['common', 'compiler', 'compiler/types', 'compiler/1-spec', 'compiler/2-ir', 'compiler/ops', 'runtime', 'runtime/base', 'runtime/kernels', 'tools', 'interop'] },
  { name: 'package entry', files: /^src\/index\.ts$/, imports: ['common', 'compiler', 'compiler/types', 'compiler/1-spec', 'compiler/2-ir', 'runtime', 'tools'] },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** file → the src files it imports (relative specifiers only; packages are outside the rule). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles('src')) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => normalize(join(dirname(file), name)).replace(/\.js$/, '.ts'));
    graph.set(file, targets);
  }
  return graph;
}

function areaOf(file: string): string {
  const area = AREAS.find((a) => a.files.test(file));
  if (!area) throw new Error(`${file} is in no area: add it to AREAS in test/architecture/imports.test.ts`);
  return area.name;
}

/** Strongly connected components of more than one node (Tarjan), each as a list of its nodes. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The bundled page's entry (graphc bundle): what it reaches runs in a browser. */
const PAGE_ENTRY = 'src/page/main.ts';

/** The modules a file imports for their values: `import type`, `export type` and type-only names erase, so they do not count here. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly = node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every src file `entry` reaches through value imports, itself included. */
function valueClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const name of valueImports(file)) if (name.startsWith('.')) queue.push(normalize(join(dirname(file), name)).replace(/\.js$/, '.ts'));
  }
  return seen;
}

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(name: string): boolean {
  return name.startsWith('node:') || NODE_BUILTINS.has(name.split('/')[0]!);
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('finds the modules it checks', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('src/compiler/2-ir/analyze.ts')).toContain('src/compiler/ops/index.ts');
  });

  it('imports only files that exist', () => {
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} → ${t}`));
    expect(missing).toEqual([]);
  });

  it('runs one way: each area imports only the areas below it', () => {
    const allowed = new Map(AREAS.map((a) => [a.name, new Set([a.name, ...a.imports])]));
    const wrong = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => graph.has(t) && !allowed.get(areaOf(file))!.has(areaOf(t))).map((t) => `${file} (${areaOf(file)}) → ${t} (${areaOf(t)})`),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps command files apart: a file of src/cli/commands/ imports no other (what they share lives in src/cli/)', () => {
    const command = /^src\/cli\/commands\//;
    const crossing = [...graph].flatMap(([file, targets]) => (command.test(file) ? targets.filter((t) => command.test(t)).map((t) => `${file} → ${t}`) : []));
    expect(crossing).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('lists each area after the areas it imports, so the areas themselves form no cycle', () => {
    const earlier = new Set<string>();
    for (const area of AREAS) {
      expect(area.imports.filter((name) => !earlier.has(name)), area.name).toEqual([]);
      earlier.add(area.name);
    }
  });

  it('keeps the browser side free of node: modules: nothing a bundled page runs imports one', () => {
    const closure = valueClosure(PAGE_ENTRY);
    expect(closure.has('src/runtime/session.ts') && closure.has('src/runtime/kernels/wasm/simd/gemm.ts')).toBe(true);
    const offending = [...closure].flatMap((file) => valueImports(file).filter(isNodeBuiltin).map((name) => `${file} imports ${name}`));
    expect(offending).toEqual([]);
  });

  it('detects what it is meant to detect', () => {
    expect(isNodeBuiltin('node:fs') && isNodeBuiltin('worker_threads') && !isNodeBuiltin('vega-embed')).toBe(true);
    expect(valueClosure('src/runtime/trainer.ts').has('src/runtime/run_lock.ts')).toBe(true);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(areaOf('src/runtime/trainer.ts')).toBe('runtime');
    expect(areaOf('src/runtime/tf.ts')).toBe('runtime/base');
    expect(areaOf('src/compiler/2-ir/analyze.ts')).toBe('compiler/2-ir');
  });
});
