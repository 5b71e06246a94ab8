/**
 * GraphcAttentionGrad (kernels/attention.ts) on the wasm heap. Per batch
 * entry and head, with W the saved weights and Wd = dropout(W) (saved too):
 *   dWd = dO · Vᵀ                      (GEMM)
 *   dV  = Wdᵀ · dO                     (GEMM, into head h's columns of dv)
 *   dW  = dWd ⊙ mask / keepProb
 *   dS  = (dW − Σⱼ dW ⊙ W) ⊙ W         (the softmax's gradient, per row)
 *   dkeep += dS · 1e9                  (the mask's, summed over the heads)
 *   dQ  = dS·scale · K,  dK = (dS·scale)ᵀ · Q   (GEMMs, into their columns)
 */
import type { tf } from '../../tf.js';
import { ATTENTION_GRAD, attentionSizes, MASKED_SCORE, type AttentionAttrs } from '../attention.js';
import { HeapProducts, strided } from './attention_heap.js';
import { WasmHeap } from './heap.js';

export const attentionGradConfig: tf.KernelConfig = {
  kernelName: ATTENTION_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dh, q, k, v, keep, saved } = inputs as Record<string, tf.TensorInfo | undefined>;
    const a = attrs as unknown as AttentionAttrs;
    const { batch, tq, tk, heads, dk, dv } = attentionSizes(q!, k!, a);
    const heap = WasmHeap.of(backend);
    const outputs = [heap.allocate(q!.shape), heap.allocate(k!.shape), heap.allocate(v!.shape), ...(keep ? [heap.allocate(keep.shape)] : [])];
    const [dq, dk_, dv_, dkeep] = outputs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo?];
    const dropout = a.keepProb < 1;
    const gradient = heap.allocate([tq * tk]);
    const products = new HeapProducts(heap, [[dv, tk], [tq, dv], [tk, dk], [tq, dk]], tq * tk);
    try {
      const at = (t: tf.TensorInfo): number => heap.offsetOf(t) >> 2;
      const [dhAt, qAt, kAt, vAt, wAt, dqAt, dkAt, dvAt, gAt] = [dh!, q!, k!, v!, saved!, dq, dk_, dv_, gradient].map(at) as number[] as [number, number, number, number, number, number, number, number, number];
      const dkeepAt = dkeep ? at(dkeep) : -1;
      if (dkeep) heap.f32.fill(0, dkeepAt, dkeepAt + batch * tq * tk);
      // The forward kernel saved the weights after dropout behind the weights.
      const droppedAt = dropout ? wAt + batch * heads * tq * tk : wAt;
      const scale = Math.fround(a.scale);
      const keepProb = Math.fround(a.keepProb);
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < heads; h++) {
          const offset = (b * heads + h) * tq * tk;
          const dO = strided(dhAt + b * tq * heads * dv + h * dv, heads * dv);
          const qBase = b * tq * heads * dk + h * dk;
          const kBase = b * tk * heads * dk + h * dk;
          const vBase = b * tk * heads * dv + h * dv;
          // dWd [tq, tk] = dO [tq, dv] · Vᵀ [dv, tk];  dV [tk, dv] = Wdᵀ [tk, tq] · dO [tq, dv]
          products.multiply(dO, strided(vAt + vBase, 1, heads * dv), strided(gAt, tk), tq, dv, tk);
          products.multiply(strided(droppedAt + offset, 1, tk), dO, strided(dvAt + vBase, heads * dv), tk, tq, dv);
          const f = heap.f32;
          for (let i = 0; i < tq; i++) {
            const row = wAt + offset + i * tk;
            const g = gAt + i * tk;
            let dot = 0;
            if (dropout) {
              // Dropout's gradient: a weight it dropped (0 after dropout, while the softmax is never 0 where it matters) passes none.
              const droppedRow = droppedAt + offset + i * tk;
              for (let j = 0; j < tk; j++) {
                const dw = f[droppedRow + j] === 0 ? 0 : Math.fround(f[g + j]! / keepProb);
                f[g + j] = dw;
                dot += dw * f[row + j]!;
              }
            } else {
              for (let j = 0; j < tk; j++) dot += f[g + j]! * f[row + j]!;
            }
            const rowSum = Math.fround(dot);
            const keepRow = dkeepAt + (b * tq + i) * tk;
            for (let j = 0; j < tk; j++) {
              const ds = Math.fround(Math.fround(f[g + j]! - rowSum) * f[row + j]!);
              if (dkeep) f[keepRow + j] = f[keepRow + j]! - Math.fround(ds * MASKED_SCORE);
              f[g + j] = ds * scale;
            }
          }
          // dQ [tq, dk] = dS' [tq, tk] · K [tk, dk];  dK [tk, dk] = dS'ᵀ [tk, tq] · Q [tq, dk]
          products.multiply(strided(gAt, tk), strided(kAt + kBase, heads * dk), strided(dqAt + qBase, heads * dk), tq, tk, dk);
          products.multiply(strided(gAt, 1, tk), strided(qAt + qBase, heads * dk), strided(dkAt + kBase, heads * dk), tk, tq, dk);
        }
      }
    } catch (error) {
      for (const t of outputs) heap.free(t);
      throw error;
    } finally {
      products.free();
      heap.free(gradient);
    }
    return outputs;
  },
};
