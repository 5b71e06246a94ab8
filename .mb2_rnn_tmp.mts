import '@tensorflow/tfjs-backend-wasm';
import { tf } from './src/runtime/tf.js';
await tf.setBackend('wasm');
const time = (name: string, f: () => void, n = 50) => { f(); const t0 = performance.now(); for (let i = 0; i < n; i++) tf.tidy(f); console.log(name, ((performance.now() - t0) / n * 1000).toFixed(0), 'us'); };
for (const T of [1, 4, 28, 112]) {
  const a = tf.randomUniform([T, 100, 256], -1, 1, 'float32', 1);
  time(`slice from T=${T}`, () => { tf.slice(a, [0, 0, 0], [1, 100, 256]); });
  time(`gather from T=${T}`, () => { tf.gather(a, 0, 0); });
  a.dispose();
}
const big = tf.randomUniform([28, 100, 256]);
time('HEAPU8-like copy 2.8MB (Float32Array.slice)', () => { new Float32Array(716800).slice(); });
const mem = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8;
console.log('heap bytes', mem.length);
time('HEAPU8.slice 2.8MB', () => { mem.slice(0, 2867200); });
void big;
