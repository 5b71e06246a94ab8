/**
 * Phase 1, the spec: file → text → YAML with positions → schema-checked JSON
 * → params substituted → schema-checked again → a typed Spec.
 */
import { hasErrors, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import type { ParamValue } from './expressions.js';
import { resolveParams, type ParamOverride } from './resolve.js';
import { readSpecText } from './source.js';
import type { Spec } from './types.js';
import { validateSpec, type Provenance } from './validate.js';
import { parseSpecYaml, type SourceMap } from './yaml.js';

export interface LoadedSpec {
  readonly file: string;
  readonly text: string;
  readonly sourceMap: SourceMap;
  readonly spec: Spec;
  /** Resolved param values, overrides applied. */
  readonly params: ReadonlyMap<string, ParamValue>;
  readonly overrides: readonly ParamOverride[];
  readonly provenance: Provenance;
}

export interface LoadResult {
  readonly loaded?: LoadedSpec;
  /** The text, when it could be read: for code frames. */
  readonly text?: string;
  readonly diagnostics: Diagnostic[];
}

export interface LoadOptions {
  readonly overrides?: readonly ParamOverride[];
}

export function loadSpec(file: string, options: LoadOptions = {}): LoadResult {
  const read = readSpecText(file);
  if (!read.ok) return { diagnostics: [read.diagnostic] };
  return loadSpecText(read.text, file, options);
}

export function loadSpecText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseSpecYaml(text, file);
  if (!parsed.ok) return { text, diagnostics: parsed.diagnostics };
  const structural = validateSpec(parsed.value, parsed.sourceMap, 'published');
  if (hasErrors(structural)) return { text, diagnostics: structural };
  const overrides = options.overrides ?? [];
  const resolved = resolveParams(parsed.value, parsed.sourceMap, overrides);
  if (hasErrors(resolved.diagnostics)) return { text, diagnostics: resolved.diagnostics };
  const checked = validateSpec(resolved.value, parsed.sourceMap, 'resolved', resolved.provenance);
  if (hasErrors(checked)) return { text, diagnostics: checked };
  const spec = { params: {}, ...resolved.value } as unknown as Spec;
  return {
    text,
    diagnostics: [...structural, ...resolved.diagnostics, ...checked],
    loaded: { file, text, sourceMap: parsed.sourceMap, spec, params: resolved.params, overrides, provenance: resolved.provenance },
  };
}

export { parseOverrides, type ParamOverride } from './resolve.js';
export type { Spec } from './types.js';
