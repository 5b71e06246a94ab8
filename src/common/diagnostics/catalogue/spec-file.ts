/** The diagnostics of reading the spec file. */
import { entry } from './entry.js';

type YamlSyntaxParams =
  /** parserMessage: the YAML parser's own message. */
  | { readonly kind: 'parser'; readonly parserMessage: string }
  | { readonly kind: 'unresolved_alias'; readonly alias: string }
  | { readonly kind: 'non_string_key' }
  | { readonly kind: 'unsupported_node' };

export const specFileDiagnostics = {
  // GC1xx: reading the spec file
  GC100: entry<{ reason: string }>('error', 'file_unreadable', (p) => `cannot read the spec: ${p.reason}`),
  GC101: entry<{ size: number; limit: number }>('error', 'file_too_large', (p) => `the spec is ${p.size} bytes; specs are limited to ${p.limit} bytes`),
  GC102: entry<{ offset: number }>('error', 'not_utf8', (p) => `the spec is not valid UTF-8 (first bad byte at offset ${p.offset})`),
  GC103: entry<YamlSyntaxParams>('error', 'yaml_syntax', (p) =>
    `YAML syntax error: ${p.kind === 'parser' ? p.parserMessage : p.kind === 'unresolved_alias' ? `unresolved alias *${p.alias}` : p.kind === 'non_string_key' ? 'mapping keys must be plain strings' : 'unsupported YAML node'}`),
  GC104: entry<{ key: string }>('error', 'duplicate_key', (p) => `duplicate key '${p.key}'`),
  GC105: entry<{ limit: number }>('error', 'alias_limit', (p) => `too many YAML alias expansions (more than ${p.limit}): the spec expands into an excessive amount of data`),
  GC106: entry('error', 'empty_file', () => 'the spec is empty; it needs at least `name`, `placeholders`, `nodes` and `train`'),
  GC107: entry<{ found: string }>('error', 'top_level_not_mapping', (p) => `the top level of a spec must be a mapping of keys (name, params, placeholders, nodes, train), not ${p.found}`),
  GC108: entry<{ tag: string }>('error', 'yaml_tag', (p) => `YAML tag '${p.tag}' is not allowed in specs`),
} as const;
