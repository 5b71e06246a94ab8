/** How the compiler spells values and tensor types in the TypeScript it writes (the ops' lowerings and codegen alike). */

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

/** The tfjs TypeScript type of a tensor of this rank (`tf.Scalar`, `tf.Tensor2D`, …). */
export function tsTensorType(rank: number): string {
  return rank === 0 ? 'tf.Scalar' : `tf.Tensor${rank}D`;
}

/** The TypeScript tuple type of a multi-output node's tensors: `[tf.Tensor2D, tf.Tensor2D]`. */
export function tsTupleType(ranks: readonly number[]): string {
  return `[${ranks.map(tsTensorType).join(', ')}]`;
}

/** The tfjs `Rank` enum member for a rank (`tf.Rank.R2`). */
export function tsRank(rank: number): string {
  return `tf.Rank.R${rank}`;
}
