/**
 * GraphcAttention (kernels/attention.ts) on the wasm heap. Per batch entry
 * and head: the scores Q·Kᵀ by graphc's GEMM straight into the weights
 * output (K packed from its strides, so neither operand is copied out of
 * [B, T, H·dk]), then one pass per row that scales, masks and takes the
 * softmax in place, the dropout applied into a scratch row block, and the
 * context (weights · V) by the GEMM straight into its columns of
 * [B, Tq, H·dv]. The float32 roundings are the composition's, step by step,
 * so that a fully masked row gets its uniform weights as there.
 */
import type { tf } from '../../tf.js';
import { ATTENTION, attentionSizes, MASKED_SCORE, type AttentionAttrs } from '../attention.js';
import { drawWeightMask, HeapProducts, strided } from './attention_heap.js';
import { WasmHeap } from './heap.js';

export const attentionConfig: tf.KernelConfig = {
  kernelName: ATTENTION,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { q, k, v, keep } = inputs as Record<string, tf.TensorInfo | undefined>;
    const a = attrs as unknown as AttentionAttrs;
    const { batch, tq, tk, heads, dk, dv } = attentionSizes(q!, k!, a);
    const heap = WasmHeap.of(backend);
    const out = heap.allocate([batch, tq, heads * dv]);
    const weights = heap.allocate([batch, heads, tq, tk]);
    const dropout = a.keepProb < 1;
    const mask = dropout ? drawWeightMask(heap, batch * heads * tq * tk, a.keepProb, a.seed, a.first) : undefined;
    const dropped = dropout ? heap.allocate([tq * tk]) : undefined;
    const products = new HeapProducts(heap, [[dk, tk], [tk, dv]], 0);
    try {
      const [qAt, kAt, vAt, outAt, wAt] = [q!, k!, v!, out, weights].map((t) => heap.offsetOf(t) >> 2) as [number, number, number, number, number];
      const keepAt = keep ? heap.offsetOf(keep) >> 2 : -1;
      const maskAt = mask ? heap.offsetOf(mask) >> 2 : -1;
      const droppedAt = dropped ? heap.offsetOf(dropped) >> 2 : -1;
      const scale = Math.fround(a.scale);
      const keepProb = Math.fround(a.keepProb);
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < heads; h++) {
          const block = wAt + (b * heads + h) * tq * tk;
          // Scores [tq, tk] = Q [tq, dk] · Kᵀ [dk, tk], Kᵀ read from K's rows.
          products.multiply(strided(qAt + b * tq * heads * dk + h * dk, heads * dk), strided(kAt + b * tk * heads * dk + h * dk, 1, heads * dk), strided(block, tk), tq, dk, tk);
          const f = heap.f32;
          for (let i = 0; i < tq; i++) {
            const row = block + i * tk;
            const keepRow = keepAt + (b * tq + i) * tk;
            let max = -Infinity;
            for (let j = 0; j < tk; j++) {
              let s = Math.fround(f[row + j]! * scale);
              if (keepAt >= 0) s = Math.fround(s + Math.fround(Math.fround(1 - f[keepRow + j]!) * MASKED_SCORE));
              f[row + j] = s;
              if (s > max) max = s;
            }
            let sum = 0;
            for (let j = 0; j < tk; j++) {
              const e = Math.fround(Math.exp(f[row + j]! - max));
              f[row + j] = e;
              sum += e;
            }
            const total = Math.fround(sum);
            for (let j = 0; j < tk; j++) f[row + j] = f[row + j]! / total;
            if (dropout) {
              const maskRow = maskAt + block - wAt + i * tk;
              for (let j = 0; j < tk; j++) f[droppedAt + i * tk + j] = Math.fround(f[row + j]! / keepProb) * f[maskRow + j]!;
            }
          }
          // Context [tq, dv] = weights (after dropout) · V [tk, dv], into head h's columns.
          const weighted = dropout ? strided(droppedAt, tk) : strided(block, tk);
          products.multiply(weighted, strided(vAt + b * tk * heads * dv + h * dv, heads * dv), strided(outAt + b * tq * heads * dv + h * dv, heads * dv), tq, tk, dv);
        }
      }
    } catch (error) {
      heap.free(out);
      heap.free(weights);
      throw error;
    } finally {
      products.free();
      if (mask) heap.free(mask);
      if (dropped) heap.free(dropped);
    }
    return [out, weights];
  },
};
