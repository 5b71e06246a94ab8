import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam_update.js';
import { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

/**
 * GraphcAdamUpdate (kernels/adam_update.ts) on wasm: one vectorised pass over
 * variable, m, v and gradient instead of Adam's eleven composite ops per
 * variable, with the same float32 operations in the same order. The last
 * size mod 4 elements (all of them without the vector loops) are done here.
 */
export const adamUpdateConfig: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { variable, slots, gradient } = inputs as Record<string, tf.TensorInfo>;
    const { learningRate, beta1, beta2, epsilon } = attrs as unknown as AdamUpdateAttrs;
    const heap = WasmHeap.of(backend);
    const next = heap.allocate(variable!.shape);
    const nextSlots = heap.allocate(slots!.shape);
    const size = tf.util.sizeFromShape(variable!.shape);
    const [w, mv, g, w2, mv2] = [variable!, slots!, gradient!, next, nextSlots].map((t) => heap.offsetOf(t) >> 2) as [number, number, number, number, number];
    // (1 − β) rounded from a double, as the composite's scalar is.
    const constants = [beta1, 1 - beta1, beta2, 1 - beta2, learningRate, epsilon].map(Math.fround) as [number, number, number, number, number, number];
    const quads = heap.simd ? size >> 2 : 0;
    if (quads > 0) heap.simd!.adamUpdate(w * 4, mv * 4, g * 4, w2 * 4, mv2 * 4, size, quads, ...constants);
    const [b1, omb1, b2, omb2, lr, eps] = constants;
    const data = heap.f32;
    const f = Math.fround;
    for (let i = 4 * quads; i < size; i++) {
      const gi = data[g + i]!;
      const m = f(f(data[mv + i]! * b1) + f(gi * omb1));
      const v = f(f(data[mv + size + i]! * b2) + f(f(gi * gi) * omb2));
      data[mv2 + i] = m;
      data[mv2 + size + i] = v;
      data[w2 + i] = f(data[w + i]! - f(f(m * lr) / f(f(Math.sqrt(v)) + eps)));
    }
    return [next, nextSlots];
  },
};
