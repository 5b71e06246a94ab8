/** Shape rules shared by elementwise ops: NumPy broadcasting over static shapes. */
import type { Dim, DType, TensorType } from '../../types/tensor.js';
import type { JsonValue } from '../../types/json.js';
import type { InferContext, LowerContext, OpDefinition } from '../op.js';
import type { JsonSchema, SchemaBuilder } from '../../types/schema-builder.js';
import { tfCall } from './emit.js';

/** Broadcast two shapes; undefined if incompatible. Unknown (batch) dims broadcast with anything. */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i];
    const y = b[b.length - rank + i];
    if (x === undefined) out.push(y ?? null);
    else if (y === undefined) out.push(x);
    else if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : x ?? y);
    else if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return undefined;
  }
  return out;
}

export function inferBinary(ctx: InferContext, op: string, resultDtype?: DType, allowed: readonly DType[] = ['float32', 'int32']): TensorType | undefined {
  const [a, b] = ctx.inputs;
  if (!a || !b) return undefined;
  if (a.type.dtype !== b.type.dtype) {
    return ctx.error('GC501', { op, kind: 'mixed', input: a.name, dtype: a.type.dtype, other: b.name, otherDtype: b.type.dtype }, 'inputs/1');
  }
  if (!allowed.includes(a.type.dtype)) {
    return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'inputs', expected: allowed, input: a.name, actual: a.type.dtype }, 'inputs/0');
  }
  const shape = broadcastShapes(a.type.shape, b.type.shape);
  if (!shape) return ctx.error('GC506', { op, left: a.type.shape, right: b.type.shape }, 'inputs');
  return { dtype: resultDtype ?? a.type.dtype, shape };
}

/** What the reference says of a binary op's inputs: the rule itself is stated once, above the ops. */
export const BROADCAST_INPUTS = 'the two operands, of one dtype; their shapes broadcast as in NumPy (see Broadcasting)';

/** An elementwise binary op that lowers to one tfjs call. */
export function binaryOp(
  name: string,
  tfFunction: string,
  summary: string,
  options: {
    result?: DType;
    allowed?: readonly DType[];
    example?: Readonly<Record<string, JsonValue>>;
    /** A lowering of its own, when the tfjs function is not enough (its gradient). */
    lower?: (ctx: LowerContext) => string;
    runtime?: OpDefinition['runtime'];
  } = {},
): OpDefinition {
  return {
    name,
    summary,
    ...(options.example ? { example: options.example } : {}),
    inputs: { min: 2, max: 2, description: BROADCAST_INPUTS },
    attributes: () => ({}),
    infer: (ctx) => inferBinary(ctx, name, options.result, options.allowed),
    lower: options.lower ?? ((ctx) => tfCall(tfFunction, ctx.type, ctx.inputs)),
    ...(options.runtime ? { runtime: options.runtime } : {}),
  };
}

/** The shape rule of an elementwise op on one float32 tensor: the output is the input's type. */
export function inferUnaryFloat(ctx: InferContext, op: string): TensorType | undefined {
  const [x] = ctx.inputs;
  if (!x) return undefined;
  if (x.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype, castFirst: true }, 'inputs/0');
  return x.type;
}

/**
 * An elementwise unary op on floats: one tfjs call by default, or its own
 * lowering when attributes shape the call (leaky_relu's alpha, gelu's form).
 */
export function unaryFloatOp(
  name: string,
  tfFunction: string,
  summary: string,
  options: {
    example?: Readonly<Record<string, JsonValue>>;
    attributes?: (b: SchemaBuilder) => Record<string, JsonSchema>;
    lower?: (ctx: LowerContext) => string;
    runtime?: OpDefinition['runtime'];
  } = {},
): OpDefinition {
  return {
    name,
    summary,
    ...(options.example ? { example: options.example } : {}),
    inputs: { min: 1, max: 1, description: 'the float32 operand' },
    attributes: options.attributes ?? (() => ({})),
    infer: (ctx) => inferUnaryFloat(ctx, name),
    lower: options.lower ?? ((ctx) => tfCall(tfFunction, ctx.type, ctx.inputs)),
    ...(options.runtime ? { runtime: options.runtime } : {}),
  };
}
