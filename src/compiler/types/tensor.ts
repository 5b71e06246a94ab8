/** Tensor types of the IR: a dtype and a static shape whose batch dimension is symbolic. */

export const DTYPES = ['float32', 'int32', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

/** A dimension: a positive integer, or null for one unknown until run time (the batch). */
export type Dim = number | null;

export interface TensorType {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

export function formatType(type: TensorType): string {
  return `${type.dtype}${formatShape(type.shape)}`;
}

/** Number of elements, or null if any dimension is unknown. */
export function knownSize(shape: readonly Dim[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Normalises a possibly negative axis; undefined when out of range. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
