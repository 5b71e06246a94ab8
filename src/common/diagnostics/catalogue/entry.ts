/** What every catalogue entry is, and the small formatters their messages share. */

export type Severity = 'error' | 'warning';

export interface Entry<P> {
  readonly severity: Severity;
  /** A short snake_case name, stable like the code. */
  readonly name: string;
  readonly message: (params: P) => string;
}

export function entry<P = Record<string, never>>(severity: Severity, name: string, message: (params: P) => string): Entry<P> {
  return { severity, name, message };
}

export const didYouMean = (suggestion: string | undefined): string => (suggestion ? ` (did you mean '${suggestion}'?)` : '');

export const list = (items: readonly string[]): string => items.map((i) => `'${i}'`).join(', ');

export const shape = (dims: readonly (number | null)[]): string => `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

export const tensorType = (t: TensorTypeParam): string => `${t.dtype}${shape(t.shape)}`;

export const hex32 = (value: number): string => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;

export const hex8 = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`;

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A tensor type as a parameter: a dtype and a shape whose unknown (batch) dimensions are null. */
export interface TensorTypeParam {
  readonly dtype: string;
  readonly shape: readonly (number | null)[];
}
