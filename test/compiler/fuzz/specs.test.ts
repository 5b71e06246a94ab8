/**
 * Property: whatever is done to a valid spec — keys deleted or renamed,
 * numbers changed, values of the wrong type, references swapped, bytes
 * damaged — graphc answers with diagnostics or with a module that
 * typechecks, never with an exception. FUZZ_RUNS and FUZZ_SEED vary the run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSpecText } from '../../../src/compiler/index.js';
import { catalogue } from '../../../src/common/diagnostics/catalogue.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 600);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261126);
const OUT = resolve('.graphc/fuzz');

const bases = [
  ...readdirSync('graphs').filter((f) => f.endsWith('.yaml')).map((f) => join('graphs', f)),
  'test/fixtures/minimal.yaml',
  'test/fixtures/elementwise-ops.yaml',
].map((file) => ({ file, text: readFileSync(file, 'utf8'), value: parse(readFileSync(file, 'utf8')) as Json }));

/** Every path to a value in a JSON tree. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function strings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return [...Object.keys(value), ...Object.values(value).flatMap(strings)];
  return [];
}

interface Mutation {
  readonly kind: 'delete' | 'rename' | 'replace' | 'swap' | 'bytes' | 'param';
  readonly at: number;
  readonly pick: number;
  readonly replacement: Json;
  readonly name: string;
}

const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ min: -3, max: 5000 }),
  fc.constantFrom(0, -1, 1, 1e9, 0.5, 1e-12, -0.0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('$hidden_size', '2 * $nope', '$lr * $cell_type', 'gru', 'block_gru', 'float32', 'int32', 'batch.images', 'batch.size', '-1', '[', '{step}'),
  fc.constant([] as Json[]),
  fc.constant({} as Json),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 100 }), fc.constant(null)), { maxLength: 7 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'rename', 'replace', 'swap', 'bytes', 'param', 'param'),
  at: fc.nat(),
  pick: fc.nat(),
  replacement,
  name: fc.oneof(fc.constantFrom('op', 'inputs', 'shape', 'units', 'layers', 'cell', 'axis', 'train', 'nodes', 'class', 'tf', 'constructor'), fc.string({ maxLength: 10 })),
});

function setAt(root: Json, path: (string | number)[], update: (parent: Json[] | Record<string, Json>, key: string | number) => void): Json {
  if (path.length === 0) return root;
  let parent = root as Json[] | Record<string, Json>;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key as string] as Json[] | Record<string, Json>;
  update(parent, path[path.length - 1]!);
  return root;
}

function apply(base: (typeof bases)[number], mutations: readonly Mutation[]): string {
  let value = structuredClone(base.value);
  let text: string | undefined;
  for (const m of mutations) {
    if (m.kind === 'bytes') {
      const source = text ?? stringify(value);
      const i = m.at % (source.length + 1);
      const chars = ['\t', '"', "'", '{', '}', '[', ']', ':', '-', '&a', '*a', '\n', ' ', '#', '!', '\u0000', '\u00e9'];
      text = m.pick % 2 === 0 ? source.slice(0, i) + chars[m.pick % chars.length]! + source.slice(i) : source.slice(0, i) + source.slice(i + 1 + (m.pick % 5));
      continue;
    }
    if (text !== undefined) continue;
    if (m.kind === 'param') {
      // Plausible values for a param: often compiles, so shapes and codegen get exercised too.
      const params = (value as Record<string, Json>)['params'] as Record<string, Json> | undefined;
      const names = Object.keys(params ?? {});
      if (params === null || typeof params !== 'object' || Array.isArray(params) || names.length === 0) continue;
      const name = names[m.at % names.length]!;
      const current = params[name];
      params[name] = typeof current === 'string' ? (['gru', 'block_gru', 'lstm', 'block_lstm', 'x'][m.pick % 5] ?? 'gru') : typeof current === 'number' ? 1 + (m.pick % 40) : current ?? null;
      continue;
    }
    const all = paths(value).slice(1);
    const path = all[m.at % all.length]!;
    value = setAt(value, path, (parent, key) => {
      if (Array.isArray(parent)) {
        if (m.kind === 'delete') parent.splice(key as number, 1);
        else parent[key as number] = m.kind === 'swap' ? pickString(base.value, m.pick) : m.replacement;
        return;
      }
      const k = key as string;
      if (m.kind === 'delete') delete parent[k];
      else if (m.kind === 'rename') {
        const v = parent[k]!;
        delete parent[k];
        parent[m.name || 'x'] = v;
      } else parent[k] = m.kind === 'swap' ? pickString(base.value, m.pick) : m.replacement;
    });
  }
  return text ?? stringify(value);
}

function pickString(value: Json, pick: number): Json {
  const all = strings(value);
  return all[pick % all.length] ?? 'x';
}

const modules = new Map<string, string>();
let cases = 0;
let compiled = 0;

describe('fuzzing the compiler with mutated specs', () => {
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it(`never throws: ${RUNS} mutated specs give diagnostics or a module`, () => {
    fc.assert(
      fc.property(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const base = bases[which]!;
        const text = apply(base, mutations);
        const result = compileSpecText(text, 'fuzz.yaml');
        cases++;
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        for (const d of result.diagnostics) {
          expect(catalogue[d.code], d.code).toBeDefined();
          expect(d.message.length).toBeGreaterThan(0);
          if (d.location?.line !== undefined) expect(d.location.line).toBeLessThanOrEqual(text.split('\n').length + 1);
        }
        if (errors.length === 0) {
          expect(result.code, 'no errors means a module').toBeDefined();
          compiled++;
          modules.set(createHash('sha256').update(result.code!).digest('hex').slice(0, 16), result.code!);
        } else {
          expect(result.code).toBeUndefined();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(cases).toBe(RUNS);
    console.log(`fuzz: ${cases} cases, ${compiled} compiled (${modules.size} distinct modules), seed ${SEED}`);
  });

  it('every module the fuzzer got out of the compiler typechecks', () => {
    expect(compiled, 'some mutations must still compile for this to mean anything').toBeGreaterThan(10);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const files = [...modules].map(([hash, code]) => {
      const file = join(OUT, `m${hash}.ts`);
      writeFileSync(file, code);
      return file;
    });
    const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(files, { ...config.options, noEmit: true });
    const problems = files.flatMap((file) => {
      const source = program.getSourceFile(file)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
        (d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    });
    expect(problems).toEqual([]);
  });
});
