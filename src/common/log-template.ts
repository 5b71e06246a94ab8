/**
 * The log line template: text with `{field}` or `{field:.6f}` placeholders, as
 * Python's str.format (the reference notebook prints with it). `{{` and `}}` are literal braces.
 * Shared by the compiler (which checks the fields) and the trainer (which prints).
 */

import { describeLogFormatProblem, type LogFormatProblem } from './diagnostics/catalogue.js';

export type LogPart = { readonly text: string } | { readonly field: string; readonly format?: string };

/** A bad template; its problem is worded by the diagnostic catalogue (GC411). */
export class LogFormatError extends Error {
  constructor(readonly problem: LogFormatProblem) {
    super(describeLogFormatProblem(problem));
  }
}

const FORMAT = /^\.(\d{1,2})f$|^d$|^$/;

export function parseLogTemplate(template: string): LogPart[] {
  const parts: LogPart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === '{' && template[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (ch === '}' && template[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new LogFormatError({ kind: 'unclosed_brace', position: i + 1 });
      const inner = template.slice(i + 1, end);
      if (inner.includes('{')) throw new LogFormatError({ kind: 'unclosed_brace', position: i + 1 });
      const colon = inner.indexOf(':');
      const field = (colon < 0 ? inner : inner.slice(0, colon)).trim();
      const format = colon < 0 ? undefined : inner.slice(colon + 1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(field)) throw new LogFormatError({ kind: 'not_a_field', text: inner });
      if (format !== undefined && !FORMAT.test(format)) throw new LogFormatError({ kind: 'unsupported_format', format, field });
      if (text) parts.push({ text });
      text = '';
      parts.push(format === undefined ? { field } : { field, format });
      i = end + 1;
    } else if (ch === '}') {
      throw new LogFormatError({ kind: 'unmatched_close', position: i + 1 });
    } else {
      text += ch;
      i++;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

export function logFields(parts: readonly LogPart[]): string[] {
  return parts.flatMap((p) => ('field' in p ? [p.field] : []));
}

export function formatLogLine(parts: readonly LogPart[], values: Readonly<Record<string, number>>): string {
  return parts
    .map((p) => {
      if ('text' in p) return p.text;
      const v = values[p.field];
      if (v === undefined) return `{${p.field}}`;
      if (p.format === 'd') return String(Math.trunc(v));
      const digits = p.format ? /^\.(\d+)f$/.exec(p.format)?.[1] : undefined;
      return digits !== undefined ? v.toFixed(Number(digits)) : String(v);
    })
    .join('');
}
