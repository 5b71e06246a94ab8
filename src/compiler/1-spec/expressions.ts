/**
 * Param expressions: `$hidden_size`, `2 * $hidden_size`, `($a + $b) // 2`.
 * A deliberately tiny language — numbers, `$name` references, + - * / // %,
 * unary minus and parentheses — evaluated at compile time. Nothing else in a
 * spec is ever evaluated.
 */

export type ParamValue = number | string | boolean;

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'ref'; readonly name: string; readonly offset: number }
  | { readonly kind: 'neg'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/' | '//' | '%'; readonly left: Expr; readonly right: Expr };

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'type' | 'unknown_param',
    /** Offset in the expression text, for unknown params. */
    readonly offset = 0,
    readonly param?: string,
  ) {
    super(message);
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
      if (!m) throw new ExpressionError(`'$' at column ${i + 1} must be followed by a param name`, 'syntax', i);
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
    throw new ExpressionError(`unexpected '${ch}' at column ${i + 1}`, 'syntax', i);
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
    if (!t) throw new ExpressionError('the expression ends too early', 'syntax', text.length);
    if (t.kind === 'num') return { kind: 'number', value: t.value };
    if (t.kind === 'ref') return { kind: 'ref', name: t.name, offset: t.at };
    if (t.op === '(') {
      const inner = sum();
      if (!isOp(')')) throw new ExpressionError(`missing ')' for the '(' at column ${t.at + 1}`, 'syntax', t.at);
      pos++;
      return inner;
    }
    if (t.op === '-') return { kind: 'neg', operand: primary() };
    throw new ExpressionError(`unexpected '${t.op}' at column ${t.at + 1}`, 'syntax', t.at);
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
  if (rest) throw new ExpressionError(`unexpected ${rest.kind === 'op' ? `'${rest.op}'` : 'value'} at column ${rest.at + 1}`, 'syntax', rest.at);
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
      if (value === undefined) throw new ExpressionError(`unknown param $${expr.name}`, 'unknown_param', expr.offset, expr.name);
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
          if (b === 0) throw new ExpressionError(`division by zero`, 'type');
          return expr.op === '/' ? a / b : expr.op === '//' ? Math.floor(a / b) : a - b * Math.floor(a / b);
      }
    }
  }
}

function numeric(value: ParamValue, op: string): number {
  if (typeof value !== 'number') throw new ExpressionError(`'${op}' needs numbers, got ${JSON.stringify(value)}`, 'type');
  return value;
}
