/**
 * YAML text → a plain JSON value plus a source map from JSON-pointer paths to
 * positions, so that every later phase can point at the exact key or value.
 * Custom tags are refused and alias expansion is bounded: nothing in a spec
 * executes or explodes.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { diagnostic, type Diagnostic, type SourceLocation } from '../../common/diagnostics/diagnostic.js';

import type { JsonObject, JsonValue } from '../types/json.js';

export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export interface SourceEntry {
  /** The value's span. */
  readonly value: Span;
  /** The key's span, for mapping entries. */
  readonly key?: Span;
}

/** Positions of every value in a parsed spec, keyed by JSON pointer ('' is the root). */
export class SourceMap {
  private readonly entries = new Map<string, SourceEntry>();

  constructor(readonly file: string) {}

  set(path: string, entry: SourceEntry): void {
    this.entries.set(path, entry);
  }

  get(path: string): SourceEntry | undefined {
    return this.entries.get(path);
  }

  /** Where a diagnostic about `path` should point: its value (or key), else the nearest known ancestor. */
  locate(path: string, prefer: 'value' | 'key' = 'value'): SourceLocation {
    let current = path;
    for (;;) {
      const entry = this.entries.get(current);
      if (entry) {
        const span = prefer === 'key' && entry.key ? entry.key : entry.value;
        return { file: this.file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol };
      }
      if (current === '') return { file: this.file };
      current = current.slice(0, current.lastIndexOf('/'));
    }
  }
}

export function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Splits a JSON pointer back into its keys. */
export function pointerKeys(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export type ParseResult =
  | { ok: true; value: JsonObject; sourceMap: SourceMap }
  | { ok: false; diagnostics: Diagnostic[] };

/** Each alias expansion copies a subtree; beyond this many copied nodes the spec is refused. */
export const MAX_ALIAS_NODES = 10_000;

const STANDARD_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

export function parseSpecYaml(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    schema: 'core',
    customTags: [],
    merge: false,
  });
  const span = (start: number, end: number): Span => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  const at = (start: number, end: number): SourceLocation => ({ file, ...span(start, end) });

  if (doc.errors.length > 0) {
    // After the first syntax error the parser's further complaints are mostly its consequences.
    const e = doc.errors[0]!;
    const [start, end] = e.pos;
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^\s*("[^"]*"|'[^']*'|[^:\n]*)/.exec(text.slice(start))?.[1]?.trim() || '?';
      return { ok: false, diagnostics: [diagnostic('GC104', { key }, at(start, start + key.length))] };
    }
    return { ok: false, diagnostics: [diagnostic('GC103', { kind: 'parser', parserMessage: plainYamlMessage(e.message) }, at(start, end))] };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && !text.trim().replace(/^#.*$/gm, '').trim())) {
    return { ok: false, diagnostics: [diagnostic('GC106', {}, { file })] };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    const found = isSeq(root) ? 'a list' : isScalar(root) ? `a scalar (${JSON.stringify(root.value)})` : 'an alias';
    const [start, end] = root.range ?? [0, 0];
    return { ok: false, diagnostics: [diagnostic('GC107', { found }, at(start, end))] };
  }

  const sourceMap = new SourceMap(file);
  const diagnostics: Diagnostic[] = [];
  let aliasBudget = MAX_ALIAS_NODES;
  let aliasBudgetReported = false;

  const convert = (node: YamlNode, path: string, inAlias: boolean): JsonValue => {
    if (inAlias && --aliasBudget < 0) {
      if (!aliasBudgetReported) {
        aliasBudgetReported = true;
        const [s, e] = node.range ?? [0, 0];
        diagnostics.push(diagnostic('GC105', { limit: MAX_ALIAS_NODES }, at(s, e)));
      }
      return null;
    }
    const [start, valueEnd] = node.range ?? [0, 0, 0];
    if (!inAlias) sourceMap.set(path, { ...(sourceMap.get(path) ?? {}), value: span(start, valueEnd) });
    if (node.tag !== undefined && !STANDARD_TAGS.has(node.tag)) {
      diagnostics.push(diagnostic('GC108', { tag: node.tag }, at(start, valueEnd)));
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
      if (!target) {
        diagnostics.push(diagnostic('GC103', { kind: 'unresolved_alias', alias: node.source }, at(start, valueEnd)));
        return null;
      }
      return convert(target, path, true);
    }
    if (isMap(node)) {
      const out: JsonObject = {};
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode === null ? '' : null;
        if (key === null) {
          const [s, e] = keyNode?.range ?? [start, start];
          diagnostics.push(diagnostic('GC103', { kind: 'non_string_key' }, at(s, e)));
          continue;
        }
        const childPath = pointer(path, key);
        if (!inAlias && keyNode?.range) {
          sourceMap.set(childPath, { value: span(keyNode.range[0], keyNode.range[1]), key: span(keyNode.range[0], keyNode.range[1]) });
        }
        const valueNode = pair.value as YamlNode | null;
        // defineProperty, not assignment: a key like "__proto__" must stay an ordinary (and then rejected) key.
        Object.defineProperty(out, key, {
          value: valueNode === null ? null : convert(valueNode, childPath, inAlias),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => (item === null ? null : convert(item as YamlNode, pointer(path, i), inAlias)));
    }
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return String(v);
    }
    diagnostics.push(diagnostic('GC103', { kind: 'unsupported_node' }, at(start, valueEnd)));
    return null;
  };

  const value = convert(root, '', false) as JsonObject;
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, value, sourceMap };
}

/** yaml's messages sometimes append "at line X, column Y:" and a frame; ours adds its own. */
function plainYamlMessage(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  const text = (cut >= 0 ? message.slice(0, cut) : message).split('\n')[0] ?? message;
  return text.charAt(0).toLowerCase() + text.slice(1);
}
