/** The diagnostics of the spec's structure (JSON Schema). */
import { didYouMean, entry, list, plural } from './entry.js';

type InvalidValueParams =
  | { readonly rule: 'pattern'; readonly value: string }
  | { readonly rule: 'min_properties'; readonly min: number }
  | { readonly rule: 'text_length'; readonly bound: 'min' | 'max'; readonly limit: number }
  /** validatorMessage: the JSON Schema validator's own message, for a keyword graphc does not word itself. */
  | { readonly rule: 'other'; readonly keyword: string; readonly validatorMessage?: string };

export const schemaDiagnostics = {
  // GC2xx: structure (JSON Schema)
  GC201: entry<{ key: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_key', (p) =>
    `unknown key '${p.key}'${didYouMean(p.suggestion)}; allowed here: ${list(p.allowed)}`),
  GC202: entry<{ key: string }>('error', 'missing_key', (p) => `missing required key '${p.key}'`),
  GC203: entry<{ expected: string; found: string }>('error', 'wrong_type', (p) => `expected ${p.expected}, found ${p.found}`),
  GC204: entry<{ value: string; allowed: readonly string[]; suggestion?: string }>('error', 'not_allowed_value', (p) =>
    `'${p.value}' is not allowed here${didYouMean(p.suggestion)}; expected one of ${list(p.allowed)}`),
  GC205: entry<{ value: number; bound: string }>('error', 'out_of_range', (p) => `${p.value} is out of range: must be ${p.bound}`),
  GC206: entry<{ op: string; suggestion?: string }>('error', 'unknown_op', (p) => `unknown op '${p.op}'${didYouMean(p.suggestion)}`),
  GC207: entry<{ cell: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_cell', (p) =>
    `unknown cell type '${p.cell}'${didYouMean(p.suggestion)}; expected one of ${list(p.allowed)}`),
  GC208: entry<{ name: string; reason: string }>('error', 'invalid_name', (p) => `'${p.name}' cannot be used as a name: ${p.reason}`),
  GC209: entry<InvalidValueParams>('error', 'invalid_value', (p) =>
    p.rule === 'pattern' ? `'${p.value}' does not have the expected form`
      : p.rule === 'min_properties' ? `needs at least ${p.min} entr${p.min === 1 ? 'y' : 'ies'}`
        : p.rule === 'text_length' ? `the text must be ${p.bound === 'min' ? 'at least' : 'at most'} ${plural(p.limit, 'character')} long`
          : (p.validatorMessage ?? `fails ${p.keyword}`)),
  GC210: entry<{ count: number; min?: number; max?: number }>('error', 'wrong_item_count', (p) =>
    `has ${p.count} item${p.count === 1 ? '' : 's'}; expected ${p.min === p.max ? p.min : p.max === undefined ? `at least ${p.min}` : p.min === undefined ? `at most ${p.max}` : `${p.min} to ${p.max}`}`),
} as const;
