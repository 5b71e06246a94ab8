/**
 * GraphcAttention (kernels/attention.ts) on the wasm heap: per batch entry
 * and head, the scores (Q·scale)·Kᵀ by graphc's GEMM (K packed from its
 * strides, so no operand is copied out of [B, T, H·dk]); the mask added; the
 * softmax of every row by the module's own kernel; the dropout; and per
 * head the context (weights · V) by the GEMM straight into its columns of
 * [B, Tq, H·dv].
 */
import type { tf } from '../../tf.js';
import { ATTENTION, attentionSizes, MASKED_SCORE, type AttentionAttrs } from '../attention.js';
import { drawWeightMask, HeapProducts, softmaxRows, strided } from './attention_heap.js';
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
    const dropout = a.keepProb < 1;
    // With dropout the weights after it follow the weights: the grad kernel needs both, and finds the mask in them.
    const weights = heap.allocate([(dropout ? 2 : 1) * batch * heads * tq * tk]);
    const scaled = heap.allocate(q!.shape);
    const scores = heap.allocate([batch * heads * tq * tk]);
    const mask = dropout ? drawWeightMask(heap, batch * heads * tq * tk, a.keepProb, a.seed, a.first) : undefined;
    const products = new HeapProducts(heap, [[dk, tk], [tk, dv]], 0);
    try {
      const at = (t: tf.TensorInfo): number => heap.offsetOf(t) >> 2;
      const [qAt, kAt, vAt, outAt, wAt, scaledAt, sAt] = [q!, k!, v!, out, weights, scaled, scores].map(at) as number[] as [number, number, number, number, number, number, number];
      let f = heap.f32;
      // The scale applied to Q (fewer elements than the scores), so that the scores go straight to the softmax.
      const scale = Math.fround(a.scale);
      for (let i = 0, n = batch * tq * heads * dk; i < n; i++) f[scaledAt + i] = f[qAt + i]! * scale;
      // Scores [tq, tk] = Q·scale [tq, dk] · Kᵀ [dk, tk] per head, Kᵀ packed from K's rows.
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < heads; h++) {
          products.multiply(strided(scaledAt + b * tq * heads * dk + h * dk, heads * dk), strided(kAt + b * tk * heads * dk + h * dk, 1, heads * dk), strided(sAt + (b * heads + h) * tq * tk, tk), tq, dk, tk);
        }
      }
      f = heap.f32;
      if (keep) {
        // Masked scores get (1 − keep)·(−1e9), rounded to float32 as the composition adds it (a fully masked row is then uniform).
        const keepAt = at(keep);
        for (let b = 0; b < batch; b++) {
          for (let h = 0; h < heads; h++) {
            const block = sAt + (b * heads + h) * tq * tk;
            const keepBlock = keepAt + b * tq * tk;
            for (let i = 0; i < tq * tk; i++) f[block + i] = f[block + i]! + Math.fround(Math.fround(1 - f[keepBlock + i]!) * MASKED_SCORE);
          }
        }
      }
      softmaxRows(heap, scores, weights, tk, batch * heads * tq);
      f = heap.f32;
      const size = batch * heads * tq * tk;
      if (mask) {
        const keepProb = Math.fround(a.keepProb);
        const maskAt = at(mask);
        for (let i = 0; i < size; i++) f[wAt + size + i] = Math.fround(f[wAt + i]! / keepProb) * f[maskAt + i]!;
      }
      // Context [tq, dv] = weights (after dropout) · V [tk, dv], into head h's columns.
      const weighted = mask ? wAt + size : wAt;
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < heads; h++) {
          products.multiply(strided(weighted + (b * heads + h) * tq * tk, tk), strided(vAt + b * tk * heads * dv + h * dv, heads * dv), strided(outAt + b * tq * heads * dv + h * dv, heads * dv), tq, tk, dv);
        }
      }
    } catch (error) {
      heap.free(out);
      heap.free(weights);
      throw error;
    } finally {
      products.free();
      heap.free(scaled);
      heap.free(scores);
      if (mask) heap.free(mask);
    }
    return [out, weights];
  },
};
