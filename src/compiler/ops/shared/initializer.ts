/** Spec initializers (`{truncated_normal: {stddev: 0.1}}`) → the runtime's InitializerSpec literal. */
import type { JsonValue } from '../../types/json.js';
import { literal } from '../../types/typescript.js';

export function initializerLiteral(attr: JsonValue | undefined, fallback: 'glorot_uniform' | 'zeros'): string {
  const value = attr ?? fallback;
  if (typeof value === 'string') return literal({ kind: value });
  const obj = value as Record<string, JsonValue>;
  if ('constant' in obj) return literal({ kind: 'constant', value: obj['constant'] });
  for (const kind of ['truncated_normal', 'random_normal'] as const) {
    const params = obj[kind] as Record<string, JsonValue> | undefined;
    if (params) return literal({ kind, mean: params['mean'] ?? 0, stddev: params['stddev'] });
  }
  const uniform = obj['random_uniform'] as Record<string, JsonValue> | undefined;
  if (uniform) return literal({ kind: 'random_uniform', minval: uniform['minval'], maxval: uniform['maxval'] });
  throw new Error(`unknown initializer ${JSON.stringify(value)}`);
}
