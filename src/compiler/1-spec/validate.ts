/**
 * Applies the JSON Schema with ajv and turns ajv's errors into catalogue
 * diagnostics that point at the offending key or value. ajv reports every
 * branch of a failed anyOf/oneOf; the branch the value was evidently meant for
 * is kept (`layers: 0` is an out-of-range integer, not a bad expression).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { opNames } from '../ops/index.js';
import { suggest } from '../../common/suggest.js';
import { EXPRESSION_PATTERN, IDENTIFIER_PATTERN, REFERENCE_PATTERN, type JsonSchema } from '../types/schema-builder.js';
import { publishedSchema, resolvedSchema } from './schema.js';
import type { JsonValue } from '../types/json.js';
import { pointerKeys, type SourceMap } from './yaml.js';

let validators: { published: ValidateFunction; resolved: ValidateFunction } | undefined;

function compile(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, discriminator: true, verbose: true, allowUnionTypes: true });
  return ajv.compile(schema);
}

function getValidators(): { published: ValidateFunction; resolved: ValidateFunction } {
  validators ??= { published: compile(publishedSchema()), resolved: compile(resolvedSchema()) };
  return validators;
}

/** Notes on where substituted values came from, keyed by JSON pointer. */
export type Provenance = ReadonlyMap<string, string>;

export function validateSpec(
  value: JsonValue,
  sourceMap: SourceMap,
  phase: 'published' | 'resolved',
  provenance: Provenance = new Map(),
): Diagnostic[] {
  const validate = getValidators()[phase];
  if (validate(value)) return [];
  return mapErrors(validate.errors ?? [], value, sourceMap, provenance);
}

const SHALLOW_MISMATCH = new Set(['type', 'const', 'required', 'additionalProperties', 'discriminator']);
const COMBINATORS = new Set(['anyOf', 'oneOf']);

/**
 * For branches that each fix a string `type` by a constant: the branch the
 * value's type names (index -1 when it names none), with the types; undefined
 * for other combinators or a value without a string type.
 */
function typeTag(branches: readonly JsonSchema[], data: unknown): { index: number; value: string; types: string[] } | undefined {
  const types = branches.map((b) => ((b['properties'] as Record<string, JsonSchema> | undefined)?.['type'] as JsonSchema | undefined)?.['const']);
  if (types.length === 0 || !types.every((t) => typeof t === 'string')) return undefined;
  const value = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['type'] : undefined;
  if (typeof value !== 'string') return undefined;
  return { index: types.indexOf(value), value, types: types as string[] };
}

function mapErrors(errors: readonly ErrorObject[], root: JsonValue, sourceMap: SourceMap, provenance: Provenance): Diagnostic[] {
  const dropped = new Set<ErrorObject>();
  const combinators = errors.filter((e) => COMBINATORS.has(e.keyword)).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  const out: Diagnostic[] = [];
  const note = (path: string): string | undefined => {
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const n = provenance.get(p);
      if (n) return n;
      if (p === '') return undefined;
    }
  };
  const at = (path: string, prefer: 'value' | 'key' = 'value') => sourceMap.locate(path, prefer);

  for (const combinator of combinators) {
    if (dropped.has(combinator)) continue;
    dropped.add(combinator);
    const branches = combinator.schema as JsonSchema[];
    const branchErrors = branches.map((_, i) => errors.filter((e) => e.schemaPath.startsWith(`${combinator.schemaPath}/${i}/`)));
    // Branches told apart by a `type` constant (the optimizers): the value's type picks its branch, or is itself the error.
    const tagged = typeTag(branches, combinator.data);
    if (tagged?.index === -1) {
      branchErrors.forEach((list) => list.forEach((e) => dropped.add(e)));
      const path = `${combinator.instancePath}/type`;
      out.push(diagnostic('GC204', { value: tagged.value, allowed: tagged.types, suggestion: suggest(tagged.value, tagged.types) }, at(path), note(path)));
      continue;
    }
    const chosen = tagged?.index ?? branchErrors.findIndex((list) => list.every((e) => !(e.instancePath === combinator.instancePath && isShallowMismatch(e))));
    branchErrors.forEach((list, i) => {
      if (i !== chosen) list.forEach((e) => dropped.add(e));
    });
    if (chosen < 0) {
      out.push(
        diagnostic('GC203', { expected: branches.map(describeSchema).join(', or '), found: describeValue(combinator.data) }, at(combinator.instancePath), note(combinator.instancePath)),
      );
    }
  }

  for (const e of errors) {
    if (dropped.has(e) || COMBINATORS.has(e.keyword)) continue;
    const d = mapLeaf(e, root, at, note);
    if (d) out.push(d);
  }
  // A missing key that an unknown key in the same mapping is a misspelling of says nothing new.
  const misspelt = new Set(out.filter((d) => d.code === 'GC201' && d.params['suggestion']).map((d) => String(d.params['suggestion'])));
  const seen = new Set<string>();
  return out
    .filter((d) => !(d.code === 'GC202' && misspelt.has(String(d.params['key']))))
    .sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0))
    .filter((d) => {
    const key = `${d.code}:${d.location?.line}:${d.location?.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An error saying the value is not of the branch's kind at all (so another branch was meant). */
function isShallowMismatch(e: ErrorObject): boolean {
  if (SHALLOW_MISMATCH.has(e.keyword)) return true;
  // A string with no `$param` is not an attempt at an expression.
  return e.keyword === 'pattern' && (e.params as { pattern?: string }).pattern === EXPRESSION_PATTERN && !String(e.data).includes('$');
}

function mapLeaf(
  e: ErrorObject,
  root: JsonValue,
  at: (path: string, prefer?: 'value' | 'key') => ReturnType<SourceMap['locate']>,
  note: (path: string) => string | undefined,
): Diagnostic | undefined {
  const path = e.instancePath;
  const params = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const n = note(path);
  switch (e.keyword) {
    case 'required':
      return diagnostic('GC202', { key: String(params['missingProperty']) }, at(path, 'key'), n);
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((parent?.['properties'] as Record<string, unknown> | undefined) ?? {});
      return diagnostic('GC201', { key, suggestion: suggest(key, allowed), allowed }, at(`${path}/${escapeKey(key)}`, 'key'));
    }
    case 'propertyNames': {
      const name = String(params['propertyName']);
      return diagnostic('GC208', { name, reason: IDENTIFIER_RULE }, at(`${path}/${escapeKey(name)}`, 'key'));
    }
    case 'pattern': {
      if ((e as ErrorObject & { propertyName?: string }).propertyName !== undefined) return undefined;
      const value = String(e.data);
      if (params['pattern'] === IDENTIFIER_PATTERN) return diagnostic('GC208', { name: value, reason: IDENTIFIER_RULE }, at(path), n);
      if (params['pattern'] === REFERENCE_PATTERN) return diagnostic('GC208', { name: value, reason: REFERENCE_RULE }, at(path), n);
      if (params['pattern'] === EXPRESSION_PATTERN) return diagnostic('GC302', { expression: value, problem: { kind: 'not_an_expression' } }, at(path), n);
      if (pointerKeys(path).join('/') === 'name') return diagnostic('GC208', { name: value, reason: MODULE_NAME_RULE }, at(path), n);
      return diagnostic('GC209', { rule: 'pattern', value }, at(path), n);
    }
    case 'type': {
      const types = ([] as unknown[]).concat(params['type']).map(String);
      return diagnostic('GC203', { expected: types.map(describeType).join(' or '), found: describeValue(e.data) }, at(path), n);
    }
    case 'enum': {
      const allowed = ((params['allowedValues'] as unknown[]) ?? []).map(String);
      const value = String(e.data);
      const suggestion = suggest(value, allowed);
      if (path.endsWith('/cell/type')) return diagnostic('GC207', { cell: value, suggestion, allowed }, at(path), n);
      return diagnostic('GC204', { value, allowed, suggestion }, at(path), n);
    }
    case 'const':
      return diagnostic('GC204', { value: String(e.data), allowed: [String(params['allowedValue'])] }, at(path), n);
    case 'discriminator': {
      if (params['error'] === 'mapping') {
        const op = String(params['tagValue']);
        return diagnostic('GC206', { op, suggestion: suggest(op, opNames()) }, at(`${path}/op`), n);
      }
      const data = e.data as Record<string, unknown> | undefined;
      if (data && typeof data === 'object' && !('op' in data)) return diagnostic('GC202', { key: 'op' }, at(path, 'key'));
      return diagnostic('GC203', { expected: 'an op name (a string)', found: describeValue(data?.['op']) }, at(`${path}/op`), n);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const symbol = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      return diagnostic('GC205', { value: Number(e.data), bound: `${symbol} ${String(params['limit'])}` }, at(path), n);
    }
    case 'minItems':
    case 'maxItems': {
      const count = Array.isArray(e.data) ? e.data.length : 0;
      const keys = pointerKeys(path);
      if (keys.length === 3 && keys[0] === 'nodes' && keys[2] === 'inputs') {
        const op = String(((root as Record<string, Record<string, Record<string, unknown>>>)['nodes']?.[keys[1]!]?.['op']) ?? '?');
        const min = parent?.['minItems'] as number;
        const max = parent?.['maxItems'] as number | undefined;
        return diagnostic('GC404', { op, count, expected: max === undefined ? `at least ${min}` : min === max ? String(min) : `${min} to ${max}` }, at(path), n);
      }
      const min = parent?.['minItems'] as number | undefined;
      const max = parent?.['maxItems'] as number | undefined;
      return diagnostic('GC210', { count, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }, at(path), n);
    }
    case 'minProperties':
      return diagnostic('GC209', { rule: 'min_properties', min: Number(params['limit']) }, at(path, 'key'), n);
    case 'minLength':
    case 'maxLength':
      return diagnostic('GC209', { rule: 'text_length', bound: e.keyword === 'minLength' ? 'min' : 'max', limit: Number(params['limit']) }, at(path), n);
    default:
      return diagnostic('GC209', { rule: 'other', keyword: e.keyword, ...(e.message !== undefined ? { validatorMessage: e.message } : {}) }, at(path), n);
  }
}

export const IDENTIFIER_RULE = 'names start with a letter and hold only letters, digits and underscores (at most 64 characters)';
const REFERENCE_RULE = `${IDENTIFIER_RULE}; an output of a node with several is written name:i`;
const MODULE_NAME_RULE = 'a spec name starts with a lowercase letter and holds only lowercase letters, digits, - and _ (at most 64 characters)';

function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeType(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    default:
      return type;
  }
}

function describeSchema(schema: JsonSchema): string {
  if (schema['pattern'] === EXPRESSION_PATTERN) return 'a $param expression';
  if (Array.isArray(schema['enum'])) return `one of ${(schema['enum'] as unknown[]).map((v) => `'${String(v)}'`).join(', ')}`;
  if (schema['const'] !== undefined) return `'${String(schema['const'])}'`;
  if (Array.isArray(schema['anyOf'])) return (schema['anyOf'] as JsonSchema[]).map(describeSchema).join(', or ');
  const type = schema['type'];
  if (type === 'object' && Array.isArray(schema['required']) && schema['required'].length > 0) {
    return `a mapping with '${String(schema['required'][0])}'`;
  }
  if (typeof type === 'string') {
    const bounds: string[] = [];
    if (typeof schema['minimum'] === 'number') bounds.push(`≥ ${schema['minimum']}`);
    if (typeof schema['exclusiveMinimum'] === 'number') bounds.push(`> ${schema['exclusiveMinimum']}`);
    if (typeof schema['maximum'] === 'number') bounds.push(`≤ ${schema['maximum']}`);
    if (typeof schema['exclusiveMaximum'] === 'number') bounds.push(`< ${schema['exclusiveMaximum']}`);
    return [describeType(type), ...bounds].join(' ');
  }
  return 'a valid value';
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}
