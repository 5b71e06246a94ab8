/**
 * What the fused whole-sequence RNN kernels (GraphcGruSequence,
 * GraphcLstmSequence) share: detecting that a backend registers a kernel and
 * its grad kernel, and the gradient that hands the backward pass to the grad
 * kernel. Every such kernel outputs [h, saved] and its grad kernel takes
 * (dh, ...inputs, h, saved) and returns one gradient per input, in order.
 */
import { tf } from '../tf.js';

/** True when `backend` registers both the forward and the grad kernel. */
export function hasKernelPair(kernel: string, gradKernel: string, backend = tf.getBackend()): boolean {
  return tf.getKernel(kernel, backend) !== undefined && tf.getKernel(gradKernel, backend) !== undefined;
}

export function registerFusedSequenceGradient(kernel: string, gradKernel: string, inputs: readonly string[]): void {
  tf.registerGradient({
    kernelName: kernel,
    inputsToSave: [...inputs],
    outputsToSave: [true, true],
    gradFunc: (dy, saved, attrs) => {
      const dh = Array.isArray(dy) ? dy[0]! : dy;
      const [h, state] = saved.slice(inputs.length);
      const gradInputs: tf.NamedTensorMap = { dh };
      inputs.forEach((name, i) => (gradInputs[name] = saved[i]!));
      gradInputs['h'] = h!;
      gradInputs['saved'] = state!;
      const grads = tf.engine().runKernel(gradKernel, gradInputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return Object.fromEntries(inputs.map((name, i) => [name, () => grads[i]!]));
    },
  });
}
