import { initBackend } from './src/runtime/backends.js';
import { tf } from './src/runtime/tf.js';
import { ATTENTION, ATTENTION_GRAD } from './src/runtime/kernels/attention.js';
await initBackend('wasm');
const B = 100, T = 28, H = 4, D = 16;
const q = tf.randomNormal([B, T, H * D]), k = tf.randomNormal([B, T, H * D]), v = tf.randomNormal([B, T, H * D]), dh = tf.randomNormal([B, T, H * D]);
const keepProb = Number(process.env.KEEP ?? '0.9');
const attrs = { heads: H, keyDim: D, valueDim: D, scale: 0.25, keepProb, seed: 5, first: 0 };
function time(label: string, f: () => void) { f(); const ts: number[] = []; for (let r = 0; r < 21; r++) { const t0 = process.cpuUsage(); f(); const d = process.cpuUsage(t0); ts.push((d.user + d.system) / 1000); } ts.sort((a, b) => a - b); console.log(label, 'min', ts[0]!.toFixed(2), 'med', ts[10]!.toFixed(2)); }
const [h, saved] = tf.engine().runKernel(ATTENTION, { q, k, v }, attrs) as tf.Tensor[];
time('forward', () => tf.dispose(tf.engine().runKernel(ATTENTION, { q, k, v }, attrs) as tf.Tensor[]));
time('backward', () => tf.dispose(tf.engine().runKernel(ATTENTION_GRAD, { dh, q, k, v, h: h!, saved: saved! }, attrs) as tf.Tensor[]));
