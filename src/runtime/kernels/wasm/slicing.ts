/**
 * Slices of wasm tensors without the stock kernels' cost: the stock Slice
 * reads its whole input back (readSync copies it) for every slice, so
 * unstacking T steps copies the input T times. Here a slice that is one
 * contiguous range becomes a view of its input (no copy at all) and any
 * other slice copies only its own elements, straight from the heap.
 */
import { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

/** The numeric dtypes whose tensors live in the heap (strings do not). */
export function inHeap(t: tf.TensorInfo): boolean {
  return t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool';
}

/**
 * x[begin … begin + size) as a tensor of `shape` (size's element count);
 * begin and size must be complete (one entry per dimension, no -1).
 */
export function sliceOf(heap: WasmHeap, x: tf.TensorInfo, begin: readonly number[], size: readonly number[], shape: readonly number[] = size): tf.TensorInfo {
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, [...begin], [...size])) {
    return heap.view(x, tf.slice_util.computeFlatOffset([...begin], strides), shape);
  }
  const out = heap.allocate(shape, x.dtype);
  const bytes = tf.util.bytesPerElement(x.dtype);
  copySlice(heap.array(x.dtype), heap.offsetOf(x) / bytes, strides, begin, size, heap.offsetOf(out) / bytes);
  return out;
}

/** Copies a strided slice run by run (runs are the innermost dimension). */
function copySlice(
  heap: Float32Array | Int32Array | Uint8Array,
  source: number,
  strides: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  target: number,
): void {
  const rank = size.length;
  const run = size[rank - 1]!;
  const outer = size.slice(0, -1);
  const index = new Array<number>(rank - 1).fill(0);
  const runs = outer.reduce((a, b) => a * b, 1);
  for (let r = 0; r < runs; r++) {
    let from = source + begin[rank - 1]!;
    for (let d = 0; d < rank - 1; d++) from += (begin[d]! + index[d]!) * strides[d]!;
    heap.copyWithin(target + r * run, from, from + run);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d]! < outer[d]!) break;
      index[d] = 0;
    }
  }
}
