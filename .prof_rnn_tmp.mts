import '@tensorflow/tfjs-backend-wasm';
import { tf } from './src/runtime/tf.js';
import { gruSequence, blockGruSequence, type GruWeights } from './src/runtime/rnn/index.js';
await tf.setBackend(process.argv[2] ?? 'wasm');
const B = 100, T = 28, H = 256, I = Number(process.argv[3] ?? 28);
const x = tf.randomUniform([B, T, I], -1, 1, 'float32', 1);
const ws = [tf.randomUniform([I + H, 2 * H], -0.1, 0.1, 'float32', 2), tf.ones([2 * H]), tf.randomUniform([I + H, H], -0.1, 0.1, 'float32', 3), tf.zeros([H])];
const R = tf.randomUniform([B, T, H], -1, 1, 'float32', 4);
for (const [name, fn] of [['gru', gruSequence], ['block_gru', blockGruSequence]] as const) {
  const f = (xi: tf.Tensor, gk: tf.Tensor, gb: tf.Tensor, ck: tf.Tensor, cb: tf.Tensor) =>
    tf.sum(tf.mul(fn(xi as tf.Tensor3D, { gatesKernel: gk, gatesBias: gb, candidateKernel: ck, candidateBias: cb } as GruWeights, { reverse: true }), R));
  for (const withGrad of [false, true]) {
    const once = () => tf.tidy(() => { if (withGrad) tf.grads(f)([x, ...ws]).forEach((t) => t.dataSync()); else f(x, ws[0]!, ws[1]!, ws[2]!, ws[3]!).dataSync(); });
    once();
    const prof = await tf.profile(once);
    const by = new Map<string, [number, number]>();
    for (const k of prof.kernels) { const e = by.get(k.name) ?? [0, 0]; e[0] += Number(k.kernelTimeMs); e[1]++; by.set(k.name, e); }
    const total = [...by.values()].reduce((a, b) => a + b[0], 0);
    console.log(`${name} grad=${withGrad} kernels=${prof.kernels.length} total=${total.toFixed(0)}ms`);
    console.log('  ' + [...by.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 10).map(([k, [ms, n]]) => `${k}:${ms.toFixed(0)}/${n}`).join(' '));
  }
}
