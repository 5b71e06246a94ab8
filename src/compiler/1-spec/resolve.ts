/**
 * Substitutes params into a spec: `--set` overrides first, then every string
 * holding a `$` is evaluated as a param expression. Free text (descriptions,
 * the log line) is never evaluated. Each substituted value keeps a note of
 * where it came from, so later diagnostics can say "$hidden_size = 0 (--set)".
 */
import { diagnostic, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { suggest } from '../../common/suggest.js';
import { evaluate, ExpressionError, parseExpression, referencedParams, type ParamValue } from './expressions.js';
import type { JsonObject, JsonValue } from '../types/json.js';
import { pointer, type SourceMap } from './yaml.js';

/** Keys whose string values are prose, not expressions. */
const FREE_TEXT_KEYS = new Set(['description', 'log']);

export interface ParamOverride {
  readonly name: string;
  readonly value: ParamValue;
  /** As the user wrote it, for messages. */
  readonly raw: string;
}

export interface ResolveResult {
  readonly value: JsonObject;
  readonly params: ReadonlyMap<string, ParamValue>;
  readonly provenance: Map<string, string>;
  readonly diagnostics: Diagnostic[];
}

/** Parses `--set NAME=VALUE` arguments; VALUE is a number, true/false, or else a string. */
export function parseOverrides(args: readonly string[]): { overrides: ParamOverride[]; diagnostics: Diagnostic[] } {
  const overrides: ParamOverride[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const arg of args) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
    if (!m) {
      diagnostics.push(diagnostic('GC306', { arg }));
      continue;
    }
    const raw = m[2]!;
    const value: ParamValue = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw.trim())
      ? Number(raw)
      : raw === 'true' || raw === 'false'
        ? raw === 'true'
        : raw;
    overrides.push({ name: m[1]!, value, raw: arg });
  }
  return { overrides, diagnostics };
}

export function resolveParams(spec: JsonObject, sourceMap: SourceMap, overrides: readonly ParamOverride[] = []): ResolveResult {
  const diagnostics: Diagnostic[] = [];
  const provenance = new Map<string, string>();
  const declared = (spec['params'] ?? {}) as Record<string, ParamValue>;
  const params = new Map<string, ParamValue>(Object.entries(declared));
  const overridden = new Map<string, string>();

  for (const o of overrides) {
    const current = params.get(o.name);
    if (current === undefined) {
      diagnostics.push(diagnostic('GC304', { param: o.name, suggestion: suggest(o.name, params.keys()), known: [...params.keys()] }));
      continue;
    }
    if (typeof o.value !== typeof current) {
      const expected = typeof current === 'number' ? 'a number' : typeof current === 'boolean' ? 'true or false' : 'a string';
      diagnostics.push(diagnostic('GC305', { param: o.name, value: String(o.value), expected: `${expected}, like its default ${JSON.stringify(current)}` }));
      continue;
    }
    params.set(o.name, o.value);
    overridden.set(o.name, o.raw);
  }

  const describe = (name: string): string => {
    const value = JSON.stringify(params.get(name));
    if (overridden.has(name)) return `$${name} = ${value} (from --set ${overridden.get(name)})`;
    const at = sourceMap.locate(pointer('/params', name), 'key');
    return at.line === undefined ? `$${name} = ${value}` : `$${name} = ${value} (${at.file}:${at.line}:${at.col})`;
  };

  const substitute = (value: JsonValue, path: string, key: string | undefined): JsonValue => {
    if (typeof value === 'string' && value.includes('$') && !FREE_TEXT_KEYS.has(key ?? '')) {
      try {
        const expr = parseExpression(value);
        const result = evaluate(expr, params);
        if (typeof result === 'number' && !Number.isFinite(result)) throw new ExpressionError({ kind: 'not_finite' });
        provenance.set(path, [...new Set(referencedParams(expr))].map(describe).join(', '));
        return result;
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        const at = sourceMap.locate(path);
        const problem = error.problem;
        switch (problem.kind) {
          case 'unknown_param':
            diagnostics.push(diagnostic('GC301', { param: problem.param, suggestion: suggest(problem.param, params.keys()) }, at));
            break;
          case 'division_by_zero':
          case 'not_numeric':
          case 'not_finite':
            diagnostics.push(diagnostic('GC303', { expression: value, problem }, at));
            break;
          default:
            diagnostics.push(diagnostic('GC302', { expression: value, problem }, at));
        }
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((v, i) => substitute(v, pointer(path, i), undefined));
    if (value !== null && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = substitute(v, pointer(path, k), k);
      return out;
    }
    return value;
  };

  const out: JsonObject = {};
  for (const [k, v] of Object.entries(spec)) {
    out[k] = k === 'params' ? Object.fromEntries(params) : substitute(v, pointer('', k), k);
  }
  return { value: out, params, provenance, diagnostics };
}
