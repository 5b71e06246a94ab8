/**
 * Param expressions: `$hidden_size`, `2 * $hidden_size`, `($a + $b) // 2`.
 * A deliberately tiny language — numbers, `$name` references, + - * / // %,
 * unary minus and parentheses — evaluated at compile time. Nothing else in a
 * spec is ever evaluated.
 */

import { describeExpressionProblem, type ExpressionProblem } from '../../common/diagnostics/catalogue.js';

export type ParamValue = number | string | boolean;

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ref'; readonly name: string; readonly offset: number }
  | { readonly kind: 'neg'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/' | '//' | '%'; readonly left: Expr; readonly right: Expr };

/** A bad expression; its problem is worded by the diagnostic catalogue (GC301, GC302, GC303). */
export class ExpressionError extends Error {
  constructor(
    readonly problem: ExpressionProblem,
    /** Offset in the expression text, for unknown params. */
    readonly offset = 0,
  ) {
    super(describeExpressionProblem(problem));
  }

  get kind(): 'syntax' | 'type' | 'unknown_param' {
    const k = this.problem.kind;
    return k === 'unknown_param' ? k : k === 'division_by_zero' || k === 'not_numeric' || k === 'not_finite' ? 'type' : 'syntax';
  }

  get param(): string | undefined {
    return this.problem.kind === 'unknown_param' ? this.problem.param : undefined;
  }
}

type Token = { kind: 'num'; value: number; at: number } | { kind: 'ref'; name: string; at: number } | { kind: 'op'; op: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ') {
      i++;
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
      if (!m) throw new ExpressionError({ kind: 'dollar_without_name', column: i + 1 }, i);
      tokens.push({ kind: 'ref', name: m[1]!, at: i });
      i += m[0].length;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'num', value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    if (text.startsWith('//', i)) {
      tokens.push({ kind: 'op', op: '//', at: i });
      i += 2;
      continue;
    }
    if ('+-*/%()'.includes(ch)) {
      tokens.push({ kind: 'op', op: ch, at: i });
      i++;
      continue;
    }
    throw new ExpressionError({ kind: 'unexpected', token: ch, column: i + 1 }, i);
  }
  return tokens;
}

export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (op: string): boolean => {
    const t = peek();
    return t?.kind === 'op' && t.op === op;
  };

  const primary = (): Expr => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError({ kind: 'ends_early' }, text.length);
    if (t.kind === 'num') return { kind: 'number', value: t.value };
    if (t.kind === 'ref') return { kind: 'ref', name: t.name, offset: t.at };
    if (t.op === '(') {
      const inner = sum();
      if (!isOp(')')) throw new ExpressionError({ kind: 'unclosed_paren', column: t.at + 1 }, t.at);
      pos++;
      return inner;
    }
    if (t.op === '-') return { kind: 'neg', operand: primary() };
    throw new ExpressionError({ kind: 'unexpected', token: t.op, column: t.at + 1 }, t.at);
  };
  const product = (): Expr => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || !['*', '/', '//', '%'].includes(t.op)) return left;
      pos++;
      left = { kind: 'binary', op: t.op as '*' | '/' | '//' | '%', left, right: primary() };
    }
  };
  const sum = (): Expr => {
    let left = product();
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || (t.op !== '+' && t.op !== '-')) return left;
      pos++;
      left = { kind: 'binary', op: t.op, left, right: product() };
    }
  };

  const expr = sum();
  const rest = peek();
  if (rest) throw new ExpressionError({ kind: 'unexpected', token: rest.kind === 'op' ? rest.op : null, column: rest.at + 1 }, rest.at);
  return expr;
}

/** Names of every param an expression refers to. */
export function referencedParams(expr: Expr): string[] {
  switch (expr.kind) {
    case 'number':
      return [];
    case 'ref':
      return [expr.name];
    case 'neg':
      return referencedParams(expr.operand);
    case 'binary':
      return [...referencedParams(expr.left), ...referencedParams(expr.right)];
  }
}

export function evaluate(expr: Expr, params: ReadonlyMap<string, ParamValue>): ParamValue {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'ref': {
      const value = params.get(expr.name);
      if (value === undefined) throw new ExpressionError({ kind: 'unknown_param', param: expr.name }, expr.offset);
      return value;
    }
    case 'neg':
      return -numeric(evaluate(expr.operand, params), 'unary -');
    case 'binary': {
      const a = numeric(evaluate(expr.left, params), expr.op);
      const b = numeric(evaluate(expr.right, params), expr.op);
      switch (expr.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
        case '//':
        case '%':
          if (b === 0) throw new ExpressionError({ kind: 'division_by_zero' });
          return expr.op === '/' ? a / b : expr.op === '//' ? Math.floor(a / b) : a - b * Math.floor(a / b);
      }
    }
  }
}

function numeric(value: ParamValue, op: string): number {
  if (typeof value !== 'number') throw new ExpressionError({ kind: 'not_numeric', operator: op, value });
  return value;
}
