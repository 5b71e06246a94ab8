/**
 * Text form of diagnostics, as compilers print them:
 *
 *   graphs/bigru.yaml:12:14: error GC401: 'X_inptu' is not a node or placeholder (did you mean 'X_input'?)
 *      12 |     inputs: [X_inptu]
 *         |              ^^^^^^^
 */
import type { Diagnostic } from './diagnostic.js';

export interface FormatOptions {
  /** Source text by file path, for code frames. */
  readonly sources?: ReadonlyMap<string, string>;
  readonly color?: boolean;
}

export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const where = d.location
    ? d.location.line !== undefined
      ? `${d.location.file}:${d.location.line}:${d.location.col ?? 1}: `
      : `${d.location.file}: `
    : '';
  const severity = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
  const lines = [`${paint('1', where)}${severity} ${d.code}: ${d.message}`];
  const source = d.location ? options.sources?.get(d.location.file) : undefined;
  if (source !== undefined && d.location?.line !== undefined) {
    lines.push(...codeFrame(source, d.location.line, d.location.col ?? 1, d.location.endLine, d.location.endCol, paint));
  }
  if (d.note) lines.push(`  note: ${d.note}`);
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  return diagnostics.map((d) => formatDiagnostic(d, options)).join('\n');
}

export interface JsonDiagnostic {
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.location?.file ?? null,
    line: d.location?.line ?? null,
    col: d.location?.col ?? null,
    severity: d.severity,
    code: d.code,
    message: d.note ? `${d.message} (${d.note})` : d.message,
  };
}

function codeFrame(
  source: string,
  line: number,
  col: number,
  endLine: number | undefined,
  endCol: number | undefined,
  paint: (code: string, text: string) => string,
): string[] {
  const all = source.split(/\r?\n/);
  const text = all[line - 1];
  if (text === undefined) return [];
  const shown = text.replace(/\t/g, ' ');
  const gutter = String(line).length;
  const width = endLine === line && endCol !== undefined && endCol > col ? endCol - col : 1;
  const caret = ' '.repeat(Math.max(0, col - 1)) + '^'.repeat(Math.max(1, Math.min(width, shown.length - col + 1)));
  return [
    `${' '.repeat(2)}${String(line).padStart(gutter)} | ${sanitize(shown)}`,
    `${' '.repeat(2)}${' '.repeat(gutter)} | ${paint('31;1', caret)}`,
  ];
}

/** Control characters from a hostile file must not drive the terminal. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}
