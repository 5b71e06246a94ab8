import { DROPOUT_MASK, fillMask, maskKeys, maskLimit, type DropoutMaskAttrs } from '../dropout.js';
import type { tf } from '../../tf.js';
import { WasmHeap } from './heap.js';

/** GraphcDropoutMask (kernels/dropout.ts) drawn straight into the wasm heap. */
export const dropoutMaskConfig: tf.KernelConfig = {
  kernelName: DROPOUT_MASK,
  backendName: 'wasm',
  kernelFunc: ({ backend, attrs }) => {
    const { shape, keepProb, seed, first } = attrs as unknown as DropoutMaskAttrs;
    const heap = WasmHeap.of(backend);
    const mask = heap.allocate(shape);
    const size = shape.reduce((a, b) => a * b, 1);
    const start = heap.offsetOf(mask) >> 2;
    const quads = heap.simd ? size >> 2 : 0;
    if (quads > 0) heap.simd!.dropoutMask(start * 4, quads, ...maskKeys(seed), first, Math.ceil(maskLimit(keepProb)));
    fillMask(heap.f32, start + 4 * quads, size - 4 * quads, keepProb, seed, first + 4 * quads);
    return mask;
  },
};
