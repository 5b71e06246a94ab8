import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseExpression, referencedParams } from '../../../src/compiler/1-spec/expressions.js';

const params = new Map<string, number | string | boolean>([
  ['hidden_size', 256],
  ['class_num', 10],
  ['cell_type', 'gru'],
]);
const value = (text: string) => evaluate(parseExpression(text), params);

describe('param expressions', () => {
  it('substitutes a bare reference of any type', () => {
    expect(value('$hidden_size')).toBe(256);
    expect(value('$cell_type')).toBe('gru');
  });

  it('does arithmetic with the usual precedence', () => {
    expect(value('2 * $hidden_size')).toBe(512);
    expect(value('$hidden_size + 2 * $class_num')).toBe(276);
    expect(value('($hidden_size + $class_num) // 3')).toBe(88);
    expect(value('$hidden_size / 512')).toBe(0.5);
    expect(value('-$class_num % 3')).toBe(2);
    expect(value('1e3 - $class_num')).toBe(990);
  });

  it('lists the params it reads', () => {
    expect(referencedParams(parseExpression('$a * ($b + $a)'))).toEqual(['a', 'b', 'a']);
  });

  it.each([
    ['$hidden_size *', 'syntax'],
    ['2 $hidden_size', 'syntax'],
    ['($hidden_size', 'syntax'],
    ['$', 'syntax'],
    ['$hidden_size; rm -rf /', 'syntax'],
    ['`$hidden_size`', 'syntax'],
    ['$nope', 'unknown_param'],
    ['2 * $cell_type', 'type'],
    ['$hidden_size / 0', 'type'],
  ])('rejects %s (%s)', (text, kind) => {
    let error: unknown;
    try {
      value(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).kind).toBe(kind);
  });
});
