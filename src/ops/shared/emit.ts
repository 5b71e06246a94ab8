/** Helpers lowerings share to write TypeScript. */
import { tsTensorType } from '../../ir/types.js';
import type { TensorType } from '../../ir/types.js';

/** A TypeScript literal for a JSON-like value; strings are always escaped. */
export function literal(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot emit non-finite number ${value}`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key);
}

/**
 * A single-quoted TypeScript string literal. Backslashes, quotes, control and
 * line-separator characters are escaped, so no spec string can end the
 * literal, start a template substitution, or break the line.
 */
export function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\\']/g, '\\$&').replace(/[\x00-\x1f\x7f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

/** `tf.<fn><tf.TensorND>(args...)`: a tfjs call typed by the node's output rank. */
export function tfCall(fn: string, type: TensorType, args: readonly string[]): string {
  return `tf.${fn}<${tsTensorType(type.shape.length)}>(${args.join(', ')})`;
}
