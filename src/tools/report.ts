/** How the CLI shows diagnostics and failures: to stderr, with code frames; JSON on request. */
import type { Diagnostic } from '../common/diagnostics/diagnostic.js';
import { formatDiagnostics, toJson } from '../common/diagnostics/format.js';

export type ReportFormat = 'text' | 'json';

export function useColor(): boolean {
  return process.stderr.isTTY === true && !('NO_COLOR' in process.env) && process.env['TERM'] !== 'dumb';
}

export function reportDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diagnostics.length === 0) return;
  process.stderr.write(`${formatDiagnostics(diagnostics, { sources, color: useColor() })}\n`);
}

export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics.map(toJson), null, 2);
}

export function summaryLine(errors: number, warnings: number): string {
  const part = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${part(errors, 'error')}, ${part(warnings, 'warning')}`;
}
