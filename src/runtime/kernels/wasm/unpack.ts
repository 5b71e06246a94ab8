import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';
import { inHeap, sliceOf } from './slicing.js';

/** Unpack (tf.unstack): one slice per index along the axis, views along the leading axis. */
export const unpackConfig: tf.KernelConfig = {
  kernelName: tf.Unpack,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const value = args.inputs['value']!;
    const { axis: requested } = args.attrs as unknown as tf.UnpackAttrs;
    if (!inHeap(value) || tf.util.sizeFromShape(value.shape) === 0) return callStock(tf.Unpack, 'wasm', args);
    const axis = requested < 0 ? requested + value.shape.length : requested;
    const heap = WasmHeap.of(args.backend);
    const size = [...value.shape];
    size[axis] = 1;
    const shape = value.shape.filter((_, d) => d !== axis);
    return Array.from({ length: value.shape[axis]! }, (_, i) => {
      const begin = new Array<number>(value.shape.length).fill(0);
      begin[axis] = i;
      return sliceOf(heap, value, begin, size, shape);
    });
  },
};
