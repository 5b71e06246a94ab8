/** The diagnostics of params and expressions. */
import { didYouMean, entry, list } from './entry.js';

/** What is wrong with a `$param` expression; ExpressionError carries one. Columns are 1-based. */
export type ExpressionProblem =
  | { readonly kind: 'dollar_without_name'; readonly column: number }
  /** token: the operator found, or null for a number or a param. */
  | { readonly kind: 'unexpected'; readonly token: string | null; readonly column: number }
  | { readonly kind: 'ends_early' }
  | { readonly kind: 'unclosed_paren'; readonly column: number }
  | { readonly kind: 'unknown_param'; readonly param: string }
  | { readonly kind: 'division_by_zero' }
  | { readonly kind: 'not_numeric'; readonly operator: string; readonly value: string | number | boolean }
  | { readonly kind: 'not_finite' };

export type ExpressionSyntaxProblem = Extract<ExpressionProblem, { kind: 'dollar_without_name' | 'unexpected' | 'ends_early' | 'unclosed_paren' }>;

export type ExpressionTypeProblem = Extract<ExpressionProblem, { kind: 'division_by_zero' | 'not_numeric' | 'not_finite' }>;

export function describeExpressionProblem(p: ExpressionProblem): string {
  switch (p.kind) {
    case 'dollar_without_name':
      return `'$' at column ${p.column} must be followed by a param name`;
    case 'unexpected':
      return `unexpected ${p.token === null ? 'value' : `'${p.token}'`} at column ${p.column}`;
    case 'ends_early':
      return 'the expression ends too early';
    case 'unclosed_paren':
      return `missing ')' for the '(' at column ${p.column}`;
    case 'unknown_param':
      return `unknown param $${p.param}`;
    case 'division_by_zero':
      return 'division by zero';
    case 'not_numeric':
      return `'${p.operator}' needs numbers, got ${JSON.stringify(p.value)}`;
    case 'not_finite':
      return 'the value is not a finite number';
  }
}

export const paramsDiagnostics = {
  // GC3xx: params and expressions
  GC301: entry<{ param: string; suggestion?: string }>('error', 'unknown_param', (p) => `unknown param '$${p.param}'${didYouMean(p.suggestion)}`),
  GC302: entry<{ expression: string; problem: ExpressionSyntaxProblem | { readonly kind: 'not_an_expression' } }>('error', 'expression_syntax', (p) =>
    p.problem.kind === 'not_an_expression'
      ? `bad expression: '${p.expression}' is not a $param expression`
      : `bad expression: ${describeExpressionProblem(p.problem)} in '${p.expression}'`),
  GC303: entry<{ expression: string; problem: ExpressionTypeProblem }>('error', 'expression_type', (p) =>
    p.problem.kind === 'not_finite'
      ? `expression error: '${p.expression}' is not a finite number`
      : `expression error: ${describeExpressionProblem(p.problem)} in '${p.expression}'`),
  GC304: entry<{ param: string; suggestion?: string; known: readonly string[]; option?: '--set' | '--grid' | '--random' }>('error', 'set_unknown_param', (p) =>
    `${p.option ?? '--set'} names no param '${p.param}'${didYouMean(p.suggestion)}; the spec's params are ${list(p.known)}`),
  GC305: entry<{ param: string; value: string; expected: string }>('error', 'set_bad_value', (p) =>
    `--set ${p.param}=${p.value}: expected ${p.expected}`),
  GC306: entry<{ arg: string }>('error', 'set_syntax', (p) => `--set expects NAME=VALUE, got '${p.arg}'`),
} as const;
