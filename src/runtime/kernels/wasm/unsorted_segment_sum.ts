/**
 * UnsortedSegmentSum for the wasm backend, which tfjs-backend-wasm 4.x lacks:
 * without it tf.gather has no gradient on wasm (GatherV2's gradient sums the
 * output gradient's rows into the rows they were gathered from), so neither
 * gather nor an embedding lookup trains there. Registered only where the
 * backend has none.
 *
 *   out[s, ...] = Σ over i with segmentIds[i] = s of x[i, ...]
 *
 * segmentIds has x's leading dimensions; an id outside 0 to numSegments − 1
 * adds nowhere, as in TF.
 */
import { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`wasm UnsortedSegmentSum takes float32 or int32, got ${x.dtype}`);
    const heap = WasmHeap.of(backend);
    const rows = tf.util.sizeFromShape(segmentIds.shape);
    const inner = rows === 0 ? 0 : tf.util.sizeFromShape(x.shape) / rows;
    const out = heap.allocate([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
    const values = heap.array(x.dtype);
    const ids = heap.array('int32');
    const source = heap.offsetOf(x) >> 2;
    const target = heap.offsetOf(out) >> 2;
    const idStart = heap.offsetOf(segmentIds) >> 2;
    values.fill(0, target, target + numSegments * inner);
    for (let i = 0; i < rows; i++) {
      const segment = ids[idStart + i]!;
      if (segment < 0 || segment >= numSegments) continue;
      const from = source + i * inner;
      const to = target + segment * inner;
      for (let j = 0; j < inner; j++) values[to + j] = values[to + j]! + values[from + j]!;
    }
    return out;
  },
};
