/**
 * GraphcDropout on webgpu: one elementwise program; element i is kept when a
 * hash of (seed, i) falls below keepProb. The hash is two rounds of Chris
 * Wellons' lowbias32 keyed by two words derived from the seed, so masks of
 * different seeds are not index permutations of one another.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { DROPOUT, maskKeys, type DropoutAttrs } from '../dropout.js';
import { tf } from '../../tf.js';
import { flatSpec, flatUniforms, intUniforms, runProgram } from './program.js';

/** kernels/dropout.ts's maskHash, in WGSL. */
export const HASH_WGSL = /* wgsl */ `
fn lowbias32(v : u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}`;

export const dropoutConfig: tf.KernelConfig = {
  kernelName: DROPOUT,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as Record<string, tf.TensorInfo>;
    const { keepProb, seed } = attrs as unknown as DropoutAttrs;
    const spec = flatSpec({
      key: 'dropout',
      inputs: ['x'],
      outputShape: x!.shape,
      uniforms: 'keyA : i32, keyB : i32, keepProb : f32,',
      helpers: HASH_WGSL,
      body: /* wgsl */ `
    let h = lowbias32(lowbias32(u32(index) ^ bitcast<u32>(uniforms.keyA)) ^ bitcast<u32>(uniforms.keyB));
    let u = f32(h >> 8u) * (1.0 / 16777216.0);
    var y = 0.0;
    if (u < uniforms.keepProb) { y = x[index] / uniforms.keepProb; }
    result[index] = y;`,
    });
    const keys = intUniforms(...maskKeys(seed));
    return runProgram(backend as WebGPUBackend, spec, [x!], flatUniforms(x!.shape, ...keys, { type: 'float32', data: [keepProb] }));
  },
};
