/**
 * GraphcAdamUpdate on webgpu: two elementwise programs per variable (a
 * program has one output): the packed slots [m' | v'], then the variable
 * from them; ten dispatches fewer per variable than the composite ops.
 * Sizes and constants are uniforms, so every variable shares two pipelines.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam_update.js';
import { tf } from '../../tf.js';
import { runProgram, type ProgramSpec, type UniformValues } from './program.js';

function elementwise(key: string, inputs: string[], shape: readonly number[], uniforms: string, body: string): ProgramSpec {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    key,
    inputs,
    outputShape: shape,
    workgroupSize: [64, 1, 1],
    dispatch: [Math.ceil(size / 64), 1, 1],
    uniforms,
    code: /* wgsl */ `
fn main(index : i32) {
  let n = uniforms.size;
  ${body}
}
`,
  };
}

const f32 = (v: number): UniformValues[number] => ({ type: 'float32', data: [v] });

tf.registerKernel({
  kernelName: ADAM_UPDATE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { variable, slots, gradient } = inputs as Record<string, tf.TensorInfo>;
    const { learningRate, beta1, beta2, epsilon } = attrs as unknown as AdamUpdateAttrs;
    const size = gradient!.shape.reduce((a, b) => a * b, 1);
    // (1 − β) is rounded from a double, as the composite's scalar is.
    const nextSlots = runProgram(
      gpu,
      elementwise(
        'adam_slots',
        ['slots', 'gradient'],
        slots!.shape,
        'size : i32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32,',
        /* wgsl */ `
  if (index < n) {
    result[index] = slots[index] * uniforms.beta1 + gradient[index] * uniforms.oneMinusBeta1;
  } else if (index < 2 * n) {
    let g = gradient[index - n];
    result[index] = slots[index] * uniforms.beta2 + g * g * uniforms.oneMinusBeta2;
  }`,
      ),
      [slots!, gradient!],
      [{ type: 'int32', data: [size] }, f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2)],
    );
    const next = runProgram(
      gpu,
      elementwise(
        'adam_variable',
        ['variable', 'slots'],
        variable!.shape,
        'size : i32, learningRate : f32, epsilon : f32,',
        /* wgsl */ `
  if (index < n) {
    result[index] = variable[index] - slots[index] * uniforms.learningRate / (sqrt(slots[n + index]) + uniforms.epsilon);
  }`,
      ),
      [variable!, nextSlots],
      [{ type: 'int32', data: [size] }, f32(learningRate), f32(epsilon)],
    );
    return [next, nextSlots];
  },
});
