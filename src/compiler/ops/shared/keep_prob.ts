/**
 * Keep probabilities (dropout's keep_prob, DropoutWrapper's output_keep_prob):
 * a scalar float32 placeholder, as TF1 graphs feed them, or a literal number.
 */
import type { JsonSchema, SchemaBuilder } from '../../types/schema-builder.js';
import type { InferContext, LowerContext } from '../op.js';
import { literal } from '../../types/typescript.js';

export function keepProbSchema(b: SchemaBuilder, description: string): JsonSchema {
  return b.referenceOrNumber({ description: `${description}; a scalar float32 placeholder, or a number`, exclusiveMinimum: 0, maximum: 1, examples: ['keep_prob', 0.5] });
}

/** The placeholder a keep probability names, for the op's attributeReferences. */
export function keepProbReferences(keep: unknown, path: string): { path: string; name: string }[] {
  return typeof keep === 'string' ? [{ path, name: keep }] : [];
}

/** Reports GC501 and returns false unless a named keep probability is a float32 scalar. */
export function checkKeepProb(ctx: InferContext, op: string, attribute: string, keep: unknown, path: string): boolean {
  if (typeof keep !== 'string') return true;
  const type = ctx.typeOf(keep);
  if (type && (type.dtype !== 'float32' || type.shape.length !== 0)) {
    ctx.error('GC501', { op, kind: 'keep_prob', attribute, input: keep, dtype: type.dtype, rank: type.shape.length }, path);
    return false;
  }
  return true;
}

/** The TypeScript expression of a keep probability (1 when absent: no dropout). */
export function keepProbExpression(ctx: LowerContext, keep: unknown): string {
  return typeof keep === 'string' ? ctx.reference(keep) : literal(keep ?? 1);
}
