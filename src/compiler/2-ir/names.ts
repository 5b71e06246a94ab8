/**
 * Which names a spec may use. Names become TypeScript identifiers and object
 * keys in the generated module, so besides the identifier pattern they must
 * not be reserved words, globals, Object.prototype members, or names the
 * generated module itself uses in the scope where graph nodes live.
 */

const RESERVED_WORDS = `break case catch class const continue debugger default delete do else enum export extends false finally for
function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static
implements interface package private protected public await as async of type declare namespace module abstract any boolean number
string symbol never unknown object bigint readonly keyof infer is satisfies get set require arguments eval undefined NaN Infinity
globalThis Object Array Math JSON Number String Boolean Promise Symbol Error Function Date RegExp Map Set`.split(/\s+/);

const PROTOTYPE_MEMBERS = ['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

/** Identifiers the generated module's forward function and helpers use. */
export const MODULE_NAMES = ['tf', 'rnn', 'nn', 'losses', 'metrics', 'init', 'vars', 'feeds', 'ctx', 'batch', 'phase', 'model', 'params', 'schedule', 'forward', 'run'];

const RESERVED = new Map<string, string>([
  ...RESERVED_WORDS.map((w) => [w, 'it is a reserved word or a JavaScript global'] as const),
  ...PROTOTYPE_MEMBERS.map((w) => [w, 'it is a member of every JavaScript object'] as const),
  ...MODULE_NAMES.map((w) => [w, 'the generated module uses this name itself'] as const),
]);

/** Why `name` cannot be used, or undefined if it can. */
export function reservedReason(name: string): string | undefined {
  return RESERVED.get(name);
}
