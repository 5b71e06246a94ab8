import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';
import { identityConfig } from './identity.js';

/**
 * Cast to the dtype the input already has is Identity (no copy); a cast to
 * bool is x ≠ 0, as TF's (stock tfjs-backend-wasm keeps the low byte instead:
 * -1 → 255, 2 → 2, -0.5 → 0); other casts convert as tfjs does.
 */
export const castConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    const x = args.inputs['x']!;
    if (dtype === x.dtype) return identityConfig.kernelFunc(args);
    if (dtype === 'bool') return notZero(x, WasmHeap.of(args.backend));
    return callStock(tf.Cast, 'wasm', args);
  },
};

function notZero(x: tf.TensorInfo, heap: WasmHeap): tf.TensorInfo {
  const out = heap.allocate(x.shape, 'bool');
  const values = heap.array(x.dtype);
  const start = heap.offsetOf(x) / values.BYTES_PER_ELEMENT;
  const bytes = heap.array('bool');
  const outStart = heap.offsetOf(out);
  const size = tf.util.sizeFromShape(x.shape);
  for (let i = 0; i < size; i++) bytes[outStart + i] = values[start + i] !== 0 ? 1 : 0;
  return out;
}
