/**
 * GraphcAttentionGrad (kernels/attention.ts) on the wasm heap. Per batch
 * entry and head, with W the saved weights and Wd = dropout(W):
 *   dWd = dO · Vᵀ                      (GEMM, Vᵀ packed from V's strides)
 *   dV  = Wdᵀ · dO                     (GEMM, into head h's columns of dv)
 *   dW  = dWd ⊙ mask / keepProb
 *   dS  = (dW − Σⱼ dW ⊙ W) ⊙ W         (the softmax's gradient, per row)
 *   dkeep += dS · 1e9                  (the mask's, summed over the heads)
 *   dQ  = dS·scale · K,  dK = (dS·scale)ᵀ · Q   (GEMMs, into their columns)
 */
import type { tf } from '../../tf.js';
import { ATTENTION_GRAD, attentionSizes, MASKED_SCORE, type AttentionAttrs } from '../attention.js';
import { drawWeightMask, HeapProducts, strided } from './attention_heap.js';
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
    const mask = dropout ? drawWeightMask(heap, batch * heads * tq * tk, a.keepProb, a.seed, a.first) : undefined;
    const dropped = dropout ? heap.allocate([tq * tk]) : undefined;
    const gradient = heap.allocate([tq * tk]);
    const products = new HeapProducts(heap, [[dv, tk], [tq, dv], [tk, dk], [tq, dk]], tq * tk);
    try {
      const at = (t: tf.TensorInfo): number => heap.offsetOf(t) >> 2;
      const [dhAt, qAt, kAt, vAt, wAt, dqAt, dkAt, dvAt, gAt] = [dh!, q!, k!, v!, saved!, dq, dk_, dv_, gradient].map(at) as number[] as [number, number, number, number, number, number, number, number, number];
      const dkeepAt = dkeep ? at(dkeep) : -1;
      const maskAt = mask ? at(mask) : -1;
      const droppedAt = dropped ? at(dropped) : -1;
      if (dkeep) heap.f32.fill(0, dkeepAt, dkeepAt + batch * tq * tk);
      const scale = Math.fround(a.scale);
      const keepProb = Math.fround(a.keepProb);
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < heads; h++) {
          const block = wAt + (b * heads + h) * tq * tk;
          const dO = strided(dhAt + b * tq * heads * dv + h * dv, heads * dv);
          const qBase = b * tq * heads * dk + h * dk;
          const kBase = b * tk * heads * dk + h * dk;
          const vBase = b * tk * heads * dv + h * dv;
          // dWd [tq, tk] = dO [tq, dv] · Vᵀ [dv, tk]
          products.multiply(dO, strided(vAt + vBase, 1, heads * dv), strided(gAt, tk), tq, dv, tk);
          let f = heap.f32;
          if (dropout) {
            const maskBlock = maskAt + block - wAt;
            for (let i = 0; i < tq * tk; i++) f[droppedAt + i] = Math.fround(f[block + i]! / keepProb) * f[maskBlock + i]!;
          }
          // dV [tk, dv] = Wdᵀ [tk, tq] · dO [tq, dv]
          const weighted = dropout ? droppedAt : block;
          products.multiply(strided(weighted, 1, tk), dO, strided(dvAt + vBase, heads * dv), tk, tq, dv);
          f = heap.f32;
          for (let i = 0; i < tq; i++) {
            const row = block + i * tk;
            const g = gAt + i * tk;
            if (dropout) {
              const maskRow = maskAt + row - wAt;
              for (let j = 0; j < tk; j++) f[g + j] = Math.fround(f[g + j]! * f[maskRow + j]!) / keepProb;
            }
            let dot = 0;
            for (let j = 0; j < tk; j++) dot += f[g + j]! * f[row + j]!;
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
      if (mask) heap.free(mask);
      if (dropped) heap.free(dropped);
    }
    return outputs;
  },
};
