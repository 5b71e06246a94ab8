/**
 * What conv2d and max_pool share: TF's four-element window form
 * ([1, height, width, 1] for strides and ksize), SAME/VALID padding, NHWC
 * image inputs, and the output size rule.
 */
import type { Dim, TensorType } from '../../types/tensor.js';
import type { JsonSchema, SchemaBuilder } from '../../types/schema-builder.js';
import type { InferContext, InputInfo } from '../op.js';

export const PADDINGS = ['SAME', 'VALID'] as const;
export type Padding = (typeof PADDINGS)[number];

export function windowSchema(b: SchemaBuilder, description: string, examples: readonly unknown[]): JsonSchema {
  return {
    type: 'array',
    items: b.integer({ description: 'a size along [batch, height, width, channels]', minimum: 1 }),
    minItems: 4,
    maxItems: 4,
    description: `${description}, as TF writes it: [1, height, width, 1]`,
    examples,
  };
}

export function paddingSchema(b: SchemaBuilder): JsonSchema {
  return b.enumOf(PADDINGS, { description: 'SAME: the output keeps ceil(input / stride) positions (zero padding as TF adds it); VALID: only windows inside the input', examples: ['SAME'] });
}

/** The [height, width] of a TF window attribute, or undefined after GC512 if it is not [1, h, w, 1]. */
export function spatialWindow(ctx: InferContext, op: string, attribute: string): [number, number] | undefined {
  const value = ctx.attrs[attribute] as number[];
  if (value[0] !== 1 || value[3] !== 1) return ctx.error('GC512', { op, attribute, value }, attribute);
  return [value[1]!, value[2]!];
}

/** Checks an NHWC float32 image input with known height, width and channels; false after reporting. */
export function checkImage(ctx: InferContext, op: string, x: InputInfo, index: number): boolean {
  const path = `inputs/${index}`;
  if (x.type.dtype !== 'float32') ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'images', expected: ['float32'], input: x.name, actual: x.type.dtype }, path);
  else if (x.type.shape.length !== 4) ctx.error('GC503', { op, input: x.name, rank: x.type.shape.length, expected: '4 ([batch, height, width, channels]); reshape it first' }, path);
  else if (x.type.shape.slice(1).some((d) => d === null)) ctx.error('GC507', { op, kind: 'unknown_dims', dims: 'image', input: x.name }, path);
  else return true;
  return false;
}

/**
 * The output type [batch, out_h, out_w, channels] of a window sliding over
 * x: ceil(in / stride) with SAME, ceil((in − window + 1) / stride) with VALID
 * (GC509 at `windowPath` when the window does not fit).
 */
export function slide(
  ctx: InferContext,
  op: string,
  x: InputInfo,
  window: { size: [number, number]; what: string; path: string },
  strides: [number, number],
  channels: number,
): TensorType | undefined {
  const input = [x.type.shape[1] as number, x.type.shape[2] as number];
  const padding = ctx.attrs['padding'] as Padding;
  if (padding === 'VALID' && (window.size[0] > input[0]! || window.size[1] > input[1]!)) {
    return ctx.error('GC509', { op, window: window.size, input, what: window.what }, window.path);
  }
  const out = input.map((n, k) => Math.ceil((padding === 'SAME' ? n : n - window.size[k]! + 1) / strides[k]!));
  const shape: Dim[] = [x.type.shape[0]!, out[0]!, out[1]!, channels];
  return { dtype: 'float32', shape };
}
