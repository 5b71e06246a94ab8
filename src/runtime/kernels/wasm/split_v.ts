import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';
import { inHeap, sliceOf } from './slicing.js';

/** SplitV: each piece as Slice makes it (views along the leading axis). */
export const splitVConfig: tf.KernelConfig = {
  kernelName: tf.SplitV,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs['x']!;
    const attrs = args.attrs as unknown as tf.SplitVAttrs;
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
    if (!inHeap(x) || tf.util.sizeFromShape(x.shape) === 0) return callStock(tf.SplitV, 'wasm', args);
    const heap = WasmHeap.of(args.backend);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const piece = sliceOf(heap, x, begin, size);
      begin[axis]! += s;
      return piece;
    });
  },
};
