/**
 * GraphcAdamUpdate on webgpu: two elementwise programs per variable (a
 * program has one output): the packed slots [m' | v'], then the variable
 * from them; ten dispatches fewer per variable than the composite ops.
 * Sizes and constants are uniforms, so every variable shares two pipelines.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam_update.js';
import { tf } from '../../tf.js';
import { flatSpec, flatUniforms, runProgram, type UniformValues } from './program.js';

const f32 = (v: number): UniformValues[number] => ({ type: 'float32', data: [v] });

export const adamUpdateConfig: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { variable, slots, gradient } = inputs as Record<string, tf.TensorInfo>;
    const { learningRate, beta1, beta2, epsilon } = attrs as unknown as AdamUpdateAttrs;
    // (1 − β) is rounded from a double, as the composite's scalar is.
    const nextSlots = runProgram(
      gpu,
      flatSpec({
        key: 'adam_slots',
        inputs: ['slots', 'gradient'],
        outputShape: slots!.shape,
        uniforms: 'beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32,',
        body: /* wgsl */ `
    let n = uniforms.size / 2;
    if (index < n) {
      result[index] = slots[index] * uniforms.beta1 + gradient[index] * uniforms.oneMinusBeta1;
    } else {
      let g = gradient[index - n];
      result[index] = slots[index] * uniforms.beta2 + g * g * uniforms.oneMinusBeta2;
    }`,
      }),
      [slots!, gradient!],
      flatUniforms(slots!.shape, f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2)),
    );
    const next = runProgram(
      gpu,
      flatSpec({
        key: 'adam_variable',
        inputs: ['variable', 'slots'],
        outputShape: variable!.shape,
        uniforms: 'learningRate : f32, epsilon : f32,',
        body: /* wgsl */ `
    result[index] = variable[index] - slots[index] * uniforms.learningRate / (sqrt(slots[uniforms.size + index]) + uniforms.epsilon);`,
      }),
      [variable!, nextSlots],
      flatUniforms(variable!.shape, f32(learningRate), f32(epsilon)),
    );
    return [next, nextSlots];
  },
};
