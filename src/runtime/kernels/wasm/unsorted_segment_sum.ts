/**
 * UnsortedSegmentSum for the wasm backend. tfjs-backend-wasm 4.x has no such
 * kernel, and it is tf.gather's gradient: without it the embedding op (a
 * gather from its table) does not train on wasm. It is registered only where
 * the backend lacks one, stock runs included.
 *
 *   out[s, ...] = Σ over i with segmentIds[i] = s of x[i, ...]
 *
 * Ids outside [0, numSegments) add nowhere, as in TF and tfjs's cpu kernel.
 */
import { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

const KERNEL = 'UnsortedSegmentSum';
const BACKEND = 'wasm';

function unsortedSegmentSum({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`wasm ${KERNEL} sums float32 or int32, got ${x.dtype}`);
  const heap = WasmHeap.of(backend);
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const inner = tf.util.sizeFromShape(rowShape);
  const out = heap.allocate([numSegments, ...rowShape], x.dtype);
  // Views of the heap fetched after the allocation, which may grow it; all three dtypes are 4 bytes.
  const values = heap.array(x.dtype);
  const ids = heap.array('int32');
  const from = heap.offsetOf(x) / 4;
  const to = heap.offsetOf(out) / 4;
  const idsAt = heap.offsetOf(segmentIds) / 4;
  values.fill(0, to, to + numSegments * inner);
  for (let i = 0; i < rows; i++) {
    const segment = ids[idsAt + i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const source = from + i * inner;
    const target = to + segment * inner;
    for (let j = 0; j < inner; j++) values[target + j]! += values[source + j]!;
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = { kernelName: KERNEL, backendName: BACKEND, kernelFunc: unsortedSegmentSum };
