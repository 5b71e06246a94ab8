import { describe, expect, it } from 'vitest';
import { expandDims } from '../../../src/compiler/ops/expand_dims.js';
import { gather } from '../../../src/compiler/ops/gather.js';
import { oneHot } from '../../../src/compiler/ops/one_hot.js';
import { pad } from '../../../src/compiler/ops/pad.js';
import { slice } from '../../../src/compiler/ops/slice.js';
import { split } from '../../../src/compiler/ops/split.js';
import { squeeze } from '../../../src/compiler/ops/squeeze.js';
import { stack } from '../../../src/compiler/ops/stack.js';
import { stridedSlice } from '../../../src/compiler/ops/strided_slice.js';
import { tile } from '../../../src/compiler/ops/tile.js';
import { transpose } from '../../../src/compiler/ops/transpose.js';
import { unstack } from '../../../src/compiler/ops/unstack.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import { float32, infer } from './helpers.js';

const int32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'int32', shape });

describe('transpose', () => {
  it('permutes the dimensions; without perm it reverses them', () => {
    expect(infer(transpose, [float32(null, 28, 64)], { perm: [0, 2, 1] }).type).toEqual(float32(null, 64, 28));
    expect(infer(transpose, [float32(3, 5)], {}).type).toEqual(float32(5, 3));
    expect(infer(transpose, [float32(2, 3, 4)], {}).type).toEqual(float32(4, 3, 2));
  });

  it('a perm that is not a permutation of the dimensions is GC532', () => {
    expect(infer(transpose, [float32(null, 28, 64)], { perm: [0, 1] }).errors).toEqual([{ code: 'GC532', path: 'perm' }]);
    expect(infer(transpose, [float32(null, 28, 64)], { perm: [0, 1, 1] }).errors).toEqual([{ code: 'GC532', path: 'perm' }]);
    expect(infer(transpose, [float32(null, 28, 64)], { perm: [0, 1, 3] }).errors).toEqual([{ code: 'GC532', path: 'perm' }]);
  });
});

describe('expand_dims and squeeze', () => {
  it('expand_dims inserts a 1 at 0 to rank; negative counts from the end of the output', () => {
    expect(infer(expandDims, [float32(null, 10)], { axis: 1 }).type).toEqual(float32(null, 1, 10));
    expect(infer(expandDims, [float32(null, 10)], { axis: 2 }).type).toEqual(float32(null, 10, 1));
    expect(infer(expandDims, [float32(null, 10)], { axis: -1 }).type).toEqual(float32(null, 10, 1));
    expect(infer(expandDims, [float32(null, 10)], { axis: -3 }).type).toEqual(float32(1, null, 10));
    expect(infer(expandDims, [float32(null, 10)], { axis: 3 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
  });

  it('squeeze drops the listed size-1 dimensions, or every known one (never the batch)', () => {
    expect(infer(squeeze, [float32(null, 1, 5, 1)], {}).type).toEqual(float32(null, 5));
    expect(infer(squeeze, [float32(null, 1, 5, 1)], { axis: -1 }).type).toEqual(float32(null, 1, 5));
    expect(infer(squeeze, [float32(null, 1, 5, 1)], { axis: [1, 3] }).type).toEqual(float32(null, 5));
  });

  it('squeezing a dimension not of size 1 is GC538 (the batch included); an axis out of range GC505', () => {
    expect(infer(squeeze, [float32(null, 1, 5)], { axis: 2 }).errors).toEqual([{ code: 'GC538', path: 'axis' }]);
    expect(infer(squeeze, [float32(null, 1, 5)], { axis: 0 }).errors).toEqual([{ code: 'GC538', path: 'axis' }]);
    expect(infer(squeeze, [float32(null, 1, 5)], { axis: [1, 4] }).errors).toEqual([{ code: 'GC505', path: 'axis/1' }]);
  });
});

describe('slice and strided_slice', () => {
  it('slice takes size positions from begin; -1 takes the rest', () => {
    expect(infer(slice, [float32(null, 28, 28)], { begin: [0, 2, 0], size: [-1, 3, -1] }).type).toEqual(float32(null, 3, 28));
    expect(infer(slice, [float32(null, 28, 28)], { begin: [0, 27, 10], size: [-1, 1, -1] }).type).toEqual(float32(null, 1, 18));
  });

  it('slice beyond a dimension is GC533, at begin or size; a size of 0 GC508; a wrong length GC503', () => {
    expect(infer(slice, [float32(null, 28)], { begin: [0, 26], size: [-1, 3] }).errors).toEqual([{ code: 'GC533', path: 'size/1' }]);
    expect(infer(slice, [float32(null, 28)], { begin: [0, 28], size: [-1, -1] }).errors).toEqual([{ code: 'GC533', path: 'begin/1' }]);
    expect(infer(slice, [float32(null, 28)], { begin: [0, 2], size: [-1, 0] }).errors).toEqual([{ code: 'GC508', path: 'size/1' }]);
    expect(infer(slice, [float32(null, 28)], { begin: [0], size: [-1] }).errors).toEqual([{ code: 'GC503', path: 'begin' }]);
  });

  it('strided_slice follows TF: negative positions, clamping, masks, negative strides, shrinking', () => {
    const x = float32(null, 10, 6);
    // x[:, 1:-1:2] (whole trailing dimension)
    expect(infer(stridedSlice, [x], { begin: [0, 1], end: [0, -1], strides: [1, 2], begin_mask: 1, end_mask: 1 }).type).toEqual(float32(null, 4, 6));
    // x[:, ::-1, 2]
    expect(infer(stridedSlice, [x], { begin: [0, 0, 2], end: [0, 0, 3], strides: [1, -1, 1], begin_mask: 3, end_mask: 3, shrink_axis_mask: 4 }).type).toEqual(float32(null, 10));
    // x[:, 3:100] clamps to the end; x[:, -3:] the last three
    expect(infer(stridedSlice, [x], { begin: [0, 3], end: [0, 100], begin_mask: 1, end_mask: 1 }).type).toEqual(float32(null, 7, 6));
    expect(infer(stridedSlice, [x], { begin: [0, -3], end: [0, 0], begin_mask: 1, end_mask: 3 }).type).toEqual(float32(null, 3, 6));
    // x[:, 8:1:-3] takes 8, 5, 2
    expect(infer(stridedSlice, [x], { begin: [0, 8], end: [0, 1], strides: [1, -3], begin_mask: 1, end_mask: 1 }).type).toEqual(float32(null, 3, 6));
  });

  it('strided_slice: a zero stride is GC539, a shrunk index outside its dimension GC511, an empty range GC533', () => {
    const x = float32(null, 10);
    expect(infer(stridedSlice, [x], { begin: [0, 0], end: [0, 5], strides: [1, 0], begin_mask: 1, end_mask: 1 }).errors).toEqual([{ code: 'GC539', path: 'strides/1' }]);
    expect(infer(stridedSlice, [x], { begin: [0, 10], end: [0, 11], begin_mask: 1, end_mask: 1, shrink_axis_mask: 2 }).errors).toEqual([{ code: 'GC511', path: 'begin/1' }]);
    expect(infer(stridedSlice, [x], { begin: [0, 5], end: [0, 5], begin_mask: 1, end_mask: 1 }).errors).toEqual([{ code: 'GC533', path: 'end/1' }]);
    expect(infer(stridedSlice, [x], { begin: [0, 0, 0], end: [0, 0, 0] }).errors).toEqual([{ code: 'GC503', path: 'begin' }]);
  });
});

describe('gather and one_hot', () => {
  it('gather replaces the axis with the indices\' shape', () => {
    expect(infer(gather, [float32(1000, 64), int32(null, 20)], {}).type).toEqual(float32(null, 20, 64));
    expect(infer(gather, [float32(null, 28, 64), int32(3)], { axis: 1 }).type).toEqual(float32(null, 3, 64));
    expect(infer(gather, [float32(null, 28, 64), int32()], { axis: -1 }).type).toEqual(float32(null, 28));
  });

  it('float indices are GC501; an axis out of range GC505', () => {
    expect(infer(gather, [float32(1000, 64), float32(null, 20)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/1' }]);
    expect(infer(gather, [float32(1000, 64), int32(null)], { axis: 2 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
  });

  it('one_hot adds a last axis of depth, float32; float indices are GC501', () => {
    expect(infer(oneHot, [int32(null)], { depth: 10 }).type).toEqual(float32(null, 10));
    expect(infer(oneHot, [int32(null, 5)], { depth: 3, on_value: 0.9, off_value: 0.05 }).type).toEqual(float32(null, 5, 3));
    expect(infer(oneHot, [float32(null)], { depth: 10 }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
  });
});

describe('tile, stack and pad', () => {
  it('tile multiplies each dimension; the batch stays unknown; a wrong length is GC503', () => {
    expect(infer(tile, [float32(null, 1, 3)], { multiples: [1, 4, 2] }).type).toEqual(float32(null, 4, 6));
    expect(infer(tile, [float32(null, 3)], { multiples: [2] }).errors).toEqual([{ code: 'GC503', path: 'multiples' }]);
  });

  it('stack adds an axis of the input count; shapes must agree (GC534), dtypes too (GC501)', () => {
    expect(infer(stack, [float32(null, 3), float32(null, 3), float32(null, 3)], { axis: 1 }).type).toEqual(float32(null, 3, 3));
    expect(infer(stack, [float32(null, 3), float32(4, 3)], {}).type).toEqual(float32(2, 4, 3));
    expect(infer(stack, [float32(null, 3), float32(null, 3)], { axis: -1 }).type).toEqual(float32(null, 3, 2));
    expect(infer(stack, [float32(null, 3), float32(null, 4)], {}).errors).toEqual([{ code: 'GC534', path: 'inputs/1' }]);
    expect(infer(stack, [float32(null, 3), float32(null, 3, 1)], {}).errors).toEqual([{ code: 'GC534', path: 'inputs/1' }]);
    expect(infer(stack, [float32(null, 3), int32(null, 3)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/1' }]);
    expect(infer(stack, [float32(null, 3), float32(null, 3)], { axis: 3 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
  });

  it('pad widens each dimension; mirrored modes are bounded by the dimension (GC537); a wrong length is GC503', () => {
    const x = float32(null, 4, 4);
    expect(infer(pad, [x], { paddings: [[0, 0], [1, 2], [3, 3]] }).type).toEqual(float32(null, 7, 10));
    expect(infer(pad, [x], { paddings: [[0, 0], [3, 3], [0, 0]], mode: 'reflect' }).type).toEqual(float32(null, 10, 4));
    expect(infer(pad, [x], { paddings: [[0, 0], [4, 0], [0, 0]], mode: 'reflect' }).errors).toEqual([{ code: 'GC537', path: 'paddings/1' }]);
    expect(infer(pad, [x], { paddings: [[0, 0], [4, 4], [0, 0]], mode: 'symmetric' }).type).toEqual(float32(null, 12, 4));
    expect(infer(pad, [x], { paddings: [[0, 0], [0, 5], [0, 0]], mode: 'symmetric' }).errors).toEqual([{ code: 'GC537', path: 'paddings/1' }]);
    expect(infer(pad, [x], { paddings: [[1, 1]] }).errors).toEqual([{ code: 'GC503', path: 'paddings' }]);
  });
});

describe('multi-output ops: unstack and split', () => {
  it('unstack gives one output per position of the axis, that axis dropped; an unknown size is GC536', () => {
    const result = infer(unstack, [float32(null, 3, 5)], { axis: 1 });
    expect(result.type).toBeUndefined();
    expect(result.outputs).toEqual([float32(null, 5), float32(null, 5), float32(null, 5)]);
    expect(infer(unstack, [float32(null, 3)], {}).errors).toEqual([{ code: 'GC536', path: 'axis' }]);
    expect(infer(unstack, [float32(null, 3)], { axis: 2 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
  });

  it('split into equal parts or sizes, one of them -1', () => {
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: 3, axis: 1 }).outputs).toEqual([float32(null, 2), float32(null, 2), float32(null, 2)]);
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: [1, -1, 2], axis: -1 }).outputs).toEqual([float32(null, 1), float32(null, 3), float32(null, 2)]);
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: 2 }).outputs).toEqual([float32(null, 6), float32(null, 6)]);
    expect(infer(split, [float32(6)], { num_or_size_splits: 1 }).outputs).toEqual([float32(6)]);
  });

  it('split: sizes not summing to the dimension, an uneven count or two -1 are GC535; a size of 0 GC508', () => {
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: [2, 3], axis: 1 }).errors).toEqual([{ code: 'GC535', path: 'num_or_size_splits' }]);
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: [4, 2, -1], axis: 1 }).errors).toEqual([{ code: 'GC535', path: 'num_or_size_splits' }]);
    expect(infer(split, [float32(null, 7)], { num_or_size_splits: 2, axis: 1 }).errors).toEqual([{ code: 'GC535', path: 'num_or_size_splits' }]);
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: [-1, -1], axis: 1 }).errors).toEqual([{ code: 'GC535', path: 'num_or_size_splits/1' }]);
    expect(infer(split, [float32(null, 6)], { num_or_size_splits: [6, 0], axis: 1 }).errors).toEqual([{ code: 'GC508', path: 'num_or_size_splits/1' }]);
  });
});
