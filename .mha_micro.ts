import { initBackend } from './src/runtime/backends.js';
import { tf } from './src/runtime/tf.js';
import * as nn from './src/runtime/nn.js';
import { RandomStream } from './src/runtime/random.js';
import { ATTENTION, ATTENTION_GRAD } from './src/runtime/kernels/attention.js';
await initBackend('wasm');
const B = 100, T = 28, H = 4, D = 16;
const x = tf.randomNormal([B, T, H * D]) as tf.Tensor3D;
const w = (i: number, o: number) => ({ kernel: tf.variable(tf.randomNormal([i, o], 0, 0.2)), bias: tf.variable(tf.zeros([o])) });
const weights = { query: w(64, 64), key: w(64, 64), value: w(64, 64), output: w(64, 64) } as unknown as nn.AttentionWeights;
const opts = { heads: H, keyDim: D, valueDim: D, keepProb: Number(process.env.KEEP ?? '0.9') };
const cot = tf.randomNormal([B, T, 64]);
function time(label: string, f: () => void) {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < 21; i++) { const t0 = process.cpuUsage(); f(); const d = process.cpuUsage(t0); ts.push((d.user + d.system) / 1000); }
  ts.sort((a, b) => a - b);
  console.log(label, 'median ms', ts[10]!.toFixed(2), 'min', ts[0]!.toFixed(2));
}
for (const mode of ['fused', 'composition', 'fused', 'composition']) {
  if (mode === 'composition') process.env.GRAPHC_ATTENTION = 'composition'; else delete process.env.GRAPHC_ATTENTION;
  time(mode + ' forward', () => tf.tidy(() => { nn.multiHeadAttention({ query: x, value: x }, weights, opts, new RandomStream(1)).dataSync(); }));
  time(mode + ' train', () => tf.tidy(() => { const g = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(nn.multiHeadAttention({ query: a as tf.Tensor3D, value: a as tf.Tensor3D }, weights, opts, new RandomStream(1)), cot)))([x]); g[0]!.dataSync(); }));
}
// kernel-level profile of one training pass
delete process.env.GRAPHC_ATTENTION;
const prof = await tf.profile(() => tf.tidy(() => { const g = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(nn.multiHeadAttention({ query: a as tf.Tensor3D, value: a as tf.Tensor3D }, weights, opts, new RandomStream(1)), cot)))([x]); g[0]!.dataSync(); }));
const agg = new Map<string, number>();
for (const k of prof.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log([...agg].sort((a, b) => b[1] - a[1]).map(([n, t]) => `${n} ${t.toFixed(2)}`).join('\n'));
