/**
 * Copies between tensors and the shared weight and gradient buffers, once per
 * step and variable. On wasm they read the backend's heap in place: the
 * generic `data()` allocates a fresh array per tensor (6.5 MB per step for
 * the reference model), and collecting those made V8 run a full mark-compact in
 * every isolate every step, on the cores the workers compute on.
 */
import { WasmHeap } from '../kernels/wasm/heap.js';
import { tf } from '../tf.js';

/** target[offset …] = scale · t (float32 t; no allocation on wasm). */
export async function copyOut(t: tf.Tensor, target: Float32Array, offset: number, scale = 1): Promise<void> {
  const source = tf.getBackend() === 'wasm' ? heapValues(t) : ((await t.data()) as Float32Array);
  if (scale === 1) {
    target.set(source, offset);
  } else {
    for (let j = 0; j < source.length; j++) target[offset + j] = source[j]! * scale;
  }
}

/** The float32 values of a wasm tensor, as a view of the heap (valid until the next allocation). */
function heapValues(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  const heap = WasmHeap.of(tf.backend());
  const start = heap.offsetOf(t) >> 2;
  return heap.f32.subarray(start, start + t.size);
}
