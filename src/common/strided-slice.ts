/**
 * TF's strided_slice, dimension by dimension: which positions x[begin:end:stride]
 * takes, with begin_mask, end_mask and shrink_axis_mask as TF reads them
 * (bit i set: dimension i's begin or end is ignored, or the dimension is
 * indexed by begin and dropped). Dimensions beyond the lists are taken whole.
 * The compiler runs it on static shapes (an unknown size gives an unknown
 * length); the runtime on the tensor's, to lower the slice to tfjs ops.
 */

export interface StridedSliceSpec {
  readonly begin: readonly number[];
  readonly end: readonly number[];
  readonly strides?: readonly number[];
  readonly beginMask?: number;
  readonly endMask?: number;
  readonly shrinkAxisMask?: number;
}

/** The positions start, start + step, … (length of them) of one dimension; `shrink`: one position, the dimension dropped. */
export interface SliceRange {
  readonly start: number | null;
  readonly step: number;
  readonly length: number | null;
  readonly shrink: boolean;
}

export type StridedSliceProblem =
  | { readonly kind: 'zero_stride'; readonly dim: number }
  /** A shrunk dimension's index lies outside it. */
  | { readonly kind: 'index'; readonly dim: number; readonly index: number; readonly size: number }
  /** The range takes no position. */
  | { readonly kind: 'empty'; readonly dim: number; readonly begin: number; readonly end: number; readonly size: number };

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

export function stridedSliceRanges(shape: readonly (number | null)[], spec: StridedSliceSpec): SliceRange[] | StridedSliceProblem {
  const ranges: SliceRange[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (d >= spec.begin.length) {
      ranges.push({ start: 0, step: 1, length: n, shrink: false });
      continue;
    }
    const bit = 1 << d;
    const step = spec.strides?.[d] ?? 1;
    if (step === 0) return { kind: 'zero_stride', dim: d };
    let begin = spec.begin[d]!;
    if (((spec.shrinkAxisMask ?? 0) & bit) !== 0) {
      if (n !== null) {
        if (begin < -n || begin >= n) return { kind: 'index', dim: d, index: begin, size: n };
        begin = begin < 0 ? begin + n : begin;
      }
      ranges.push({ start: n === null && begin < 0 ? null : begin, step: 1, length: 1, shrink: true });
      continue;
    }
    if (n === null) {
      ranges.push({ start: null, step, length: null, shrink: false });
      continue;
    }
    let end = spec.end[d]!;
    const masked = (mask: number | undefined): boolean => ((mask ?? 0) & bit) !== 0;
    if (step > 0) {
      begin = masked(spec.beginMask) ? 0 : clamp(begin < 0 ? begin + n : begin, 0, n);
      end = masked(spec.endMask) ? n : clamp(end < 0 ? end + n : end, 0, n);
    } else {
      begin = masked(spec.beginMask) ? n - 1 : clamp(begin < 0 ? begin + n : begin, -1, n - 1);
      end = masked(spec.endMask) ? -1 : clamp(end < 0 ? end + n : end, -1, n - 1);
    }
    const length = Math.max(0, Math.ceil((end - begin) / step));
    if (length === 0) return { kind: 'empty', dim: d, begin, end, size: n };
    ranges.push({ start: begin, step, length, shrink: false });
  }
  return ranges;
}
