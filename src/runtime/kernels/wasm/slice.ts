import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';
import { inHeap, sliceOf } from './slicing.js';

/** Slice: a view when the slice is contiguous, else a copy of just the slice. */
export const sliceConfig: tf.KernelConfig = {
  kernelName: tf.Slice,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs['x']!;
    const attrs = args.attrs as unknown as tf.SliceAttrs;
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [number[], number[]];
    if (!inHeap(x) || tf.util.sizeFromShape(size) === 0) return callStock(tf.Slice, 'wasm', args);
    tf.slice_util.assertParamsValid(x, begin, size);
    return sliceOf(WasmHeap.of(args.backend), x, begin, size);
  },
};
