/**
 * Diagnostics are data: a code from the catalogue, its parameters, and where
 * it points. `format.ts` turns them into text; `--format json` prints them as is.
 */
import { catalogue, type Code, type ParamsOf, type Severity } from './catalogue.js';

/** A place in a file; line and col are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  /** End of the span (exclusive col), when known; the code frame underlines up to it. */
  readonly endLine?: number;
  readonly endCol?: number;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly location?: SourceLocation;
  /** A follow-up line: where a value came from (e.g. the param a `$ref` names). */
  readonly note?: string;
}

export function diagnostic<C extends Code>(
  code: C,
  params: ParamsOf<C>,
  location?: SourceLocation,
  note?: string,
): Diagnostic {
  const entry = catalogue[code];
  const message = (entry.message as (p: ParamsOf<C>) => string)(params);
  return {
    code,
    severity: entry.severity,
    message,
    params: (params ?? {}) as Record<string, unknown>,
    ...(location ? { location } : {}),
    ...(note ? { note } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * An error that stops a command, carrying diagnostics. The CLI prints them
 * without a stack trace (unless --verbose) and exits 1.
 */
export class GraphcError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    diagnostics: Diagnostic | readonly Diagnostic[],
    /** Source texts by file, for code frames. */
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.name = 'GraphcError';
    this.diagnostics = list;
  }
}

/** Throws a GraphcError holding one diagnostic. */
export function fail<C extends Code>(code: C, params: ParamsOf<C>, location?: SourceLocation, note?: string): never {
  throw new GraphcError(diagnostic(code, params, location, note));
}
