/** What every whole-sequence kernel does around its math: input checks and releasing the device. */
import type { tf } from '../../tf.js';
import type { KernelDevice, Mat } from './matrix.js';

/** Runs `body` on the device, releasing its scratch memory (and, if body throws, its outputs). */
export function runKernel<M extends Mat>(device: KernelDevice<M>, body: () => tf.TensorInfo[]): tf.TensorInfo[] {
  let failed = true;
  try {
    const outputs = body();
    failed = false;
    return outputs;
  } finally {
    device.release(failed);
  }
}

/** inputs[name], a float32 tensor, of `shape` when given. */
export function tensor(inputs: tf.NamedTensorInfoMap, name: string, shape?: readonly number[]): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`missing input '${name}'`);
  if (t.dtype !== 'float32') throw new Error(`input '${name}' must be float32, got ${t.dtype}`);
  if (shape && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
    throw new Error(`input '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t;
}
