import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';

/**
 * tanh through the module's vectorised sigmoid, tanh(x) = 2σ(2x) − 1 (the
 * stock kernel calls the scalar libm tanh per element, ~10x slower). Near
 * zero, where that form loses relative precision, a Taylor polynomial is used
 * instead; the result is within ~1e-6 relative of libm's.
 */
export const tanhConfig: tf.KernelConfig = {
  kernelName: tf.Tanh,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs['x']!;
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== 'float32' || size === 0) return callStock(tf.Tanh, 'wasm', args);
    const heap = WasmHeap.of(args.backend);
    const out = heap.allocate(x.shape);
    const [from, to] = [heap.offsetOf(x) >> 2, heap.offsetOf(out) >> 2];
    let data = heap.f32;
    for (let i = 0; i < size; i++) data[to + i] = 2 * data[from + i]!;
    heap.sigmoid(heap.idOf(out), heap.idOf(out));
    data = heap.f32;
    for (let i = 0; i < size; i++) {
      const v = data[from + i]!;
      if (v > -SMALL && v < SMALL) {
        const v2 = v * v;
        data[to + i] = v * (1 + v2 * (-1 / 3 + v2 * (2 / 15 + v2 * (-17 / 315))));
      } else {
        data[to + i] = 2 * data[to + i]! - 1;
      }
    }
    return out;
  },
};

/** Below this |x| the 4-term series is exact to float32 precision (next term ≈ 2e-11·|x|). */
const SMALL = 0.1;
