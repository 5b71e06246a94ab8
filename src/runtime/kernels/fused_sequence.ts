/**
 * What the fused whole-sequence RNN kernels (GraphcGruSequence,
 * GraphcLstmSequence) share: detecting that a backend registers a kernel and
 * its grad kernel, and running the pair so that autodiff hands the backward
 * pass to the grad kernel. Every such kernel outputs [h, saved] and its grad
 * kernel takes (dh, ...inputs, h, saved) and returns one gradient per input,
 * in order.
 */
import { tf } from '../tf.js';

/** True when `backend` registers both the forward and the grad kernel. */
export function hasKernelPair(kernel: string, gradKernel: string, backend = tf.getBackend()): boolean {
  return tf.getKernel(kernel, backend) !== undefined && tf.getKernel(gradKernel, backend) !== undefined;
}

/**
 * Runs `kernel` on the named inputs (in the grad kernel's order) and returns
 * h. The gradient is a tf.customGrad whose only output is h: with a gradient
 * registered for the kernel itself, the engine would feed `saved` a gradient
 * of zeros on every backward pass — a tensor as large as all the saved
 * activations, allocated and copied for nothing. Outside a gradient tape
 * (evaluation) `saved` is freed as the call returns.
 */
export function runFusedSequence(
  kernel: string,
  gradKernel: string,
  inputs: Readonly<Record<string, tf.Tensor>>,
  attrs: tf.NamedAttrMap,
): tf.Tensor {
  const names = Object.keys(inputs);
  const sequence = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.at(-1) as tf.GradSaveFunc;
    const tensors = args.slice(0, -1) as tf.Tensor[];
    const named = Object.fromEntries(names.map((name, i) => [name, tensors[i]!]));
    const [h, saved] = tf.engine().runKernel(kernel, named, attrs) as [tf.Tensor, tf.Tensor];
    save([...tensors, h, saved]);
    return {
      value: h,
      gradFunc: (dh: tf.Tensor, kept: tf.Tensor[]) => {
        const gradInputs: tf.NamedTensorMap = { dh };
        names.forEach((name, i) => (gradInputs[name] = kept[i]!));
        gradInputs['h'] = kept[names.length]!;
        gradInputs['saved'] = kept[names.length + 1]!;
        return tf.engine().runKernel(gradKernel, gradInputs, attrs) as tf.Tensor[];
      },
    };
  });
  return sequence(...names.map((name) => inputs[name]!));
}
