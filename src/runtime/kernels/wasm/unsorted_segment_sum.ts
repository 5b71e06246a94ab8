/**
 * UnsortedSegmentSum for the wasm backend. tfjs-backend-wasm 4.x has no such
 * kernel, and tf.gather's gradient is one, so without it an embedding table
 * cannot train on wasm. It is registered only where the backend lacks one.
 *
 *   out[s, …] = Σ_{i: segmentIds[i] = s} x[i, …]     (out is [numSegments, …])
 *
 * One pass over x's rows on the heap, adding each row into its segment's;
 * ids outside [0, numSegments) are dropped, as tf.unsortedSegmentSum does.
 */
import { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

const KERNEL = 'UnsortedSegmentSum';

function unsortedSegmentSum({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`wasm ${KERNEL}: x must be float32 or int32, got ${x.dtype}`);
  const heap = WasmHeap.of(backend);
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const rowSize = rows === 0 ? 0 : tf.util.sizeFromShape(x.shape) / rows;
  const out = heap.allocate([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  // Read the heap views after allocating: the heap may have grown and moved.
  const values = heap.array(x.dtype);
  const ids = heap.array('int32');
  const [src, dst, idStart] = [heap.offsetOf(x) / 4, heap.offsetOf(out) / 4, heap.offsetOf(segmentIds) / 4];
  values.fill(0, dst, dst + numSegments * rowSize);
  for (let i = 0; i < rows; i++) {
    const segment = ids[idStart + i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = src + i * rowSize;
    const to = dst + segment * rowSize;
    for (let j = 0; j < rowSize; j++) values[to + j]! += values[from + j]!;
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = { kernelName: KERNEL, backendName: 'wasm', kernelFunc: unsortedSegmentSum };
