import { initBackend } from './src/runtime/backends.js';
import { tf } from './src/runtime/tf.js';
import { ATTENTION } from './src/runtime/kernels/attention.js';
await initBackend('wasm');
const B = 100, T = 28, H = 4, D = 16;
const q = tf.randomNormal([B, T, H * D]), k = tf.randomNormal([B, T, H * D]), v = tf.randomNormal([B, T, H * D]);
const keepProb = Number(process.env.KEEP ?? '1');
for (let r = 0; r < 40; r++) {
  const t0 = performance.now();
  const outs = tf.engine().runKernel(ATTENTION, { q, k, v }, { heads: H, keyDim: D, valueDim: D, scale: 0.25, keepProb, seed: 5, first: 0 }) as tf.Tensor[];
  tf.dispose(outs);
  if (r % 10 === 9) console.log('ms', (performance.now() - t0).toFixed(2));
}
