import '@tensorflow/tfjs-backend-wasm';
import { tf } from './src/runtime/tf.js';
import { gruSequence, blockGruSequence, type GruWeights } from './src/runtime/rnn/index.js';
const backend = process.argv[2] ?? 'wasm';
await tf.setBackend(backend);
console.log('backend', tf.getBackend());
const B = 100, T = 28, H = 256;
for (const I of [28, 512]) {
  const x = tf.randomUniform([B, T, I], -1, 1, 'float32', 1);
  const ws = [tf.randomUniform([I + H, 2 * H], -0.1, 0.1, 'float32', 2), tf.ones([2 * H]), tf.randomUniform([I + H, H], -0.1, 0.1, 'float32', 3), tf.zeros([H])];
  const R = tf.randomUniform([B, T, H], -1, 1, 'float32', 4);
  for (const [name, fn] of [['gru', gruSequence], ['block_gru', blockGruSequence]] as const) {
    const f = (xi: tf.Tensor, gk: tf.Tensor, gb: tf.Tensor, ck: tf.Tensor, cb: tf.Tensor) =>
      tf.sum(tf.mul(fn(xi as tf.Tensor3D, { gatesKernel: gk, gatesBias: gb, candidateKernel: ck, candidateBias: cb } as GruWeights, { reverse: true }), R));
    const once = (withGrad: boolean) => tf.tidy(() => {
      if (withGrad) { const g = tf.grads(f)([x, ...ws]); g.forEach((t) => t.dataSync()); }
      else f(x, ws[0]!, ws[1]!, ws[2]!, ws[3]!).dataSync();
    });
    once(true); once(false);
    const time = (withGrad: boolean, n: number) => { const ts: number[] = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); once(withGrad); ts.push(performance.now() - t0); } ts.sort((a, b) => a - b); return ts[n >> 1]!; };
    const fwd = time(false, 5), fb = time(true, 5);
    console.log(`I=${I} ${name}: forward ${fwd.toFixed(0)} ms, forward+backward ${fb.toFixed(0)} ms`);
  }
  tf.dispose([x, R, ...ws]);
}
