/**
 * The core of multi-head attention, softmax(Q·Kᵀ·scale + mask)·V per head with
 * dropout on the weights, as one tfjs kernel and its grad kernel. The
 * projections stay matmuls (GEMMs already); the kernels read the projected
 * query, key and value in the layout the projections leave them,
 * [batch, T, heads·dim] (head h owns columns [h·dim, (h+1)·dim)), and write
 * the context in the layout the output projection reads: the composition's
 * four transposes that split and merge the heads disappear with the scores,
 * scaled and masked scores, softmax, dropout and their gradients as tensors.
 *
 * A backend gets the fused path by registering both kernels (wasm/ and
 * webgpu/). The cpu backend registers neither: there nn.multiHeadAttention
 * runs the composition of tfjs ops, which is the reference the kernels are
 * tested against (test/runtime/kernels/attention). GRAPHC_ATTENTION=composition
 * (read at each call) runs the composition on every backend, to compare.
 *
 * Kernel contract (float32 throughout):
 *   GraphcAttention
 *     inputs  q [B, Tq, H·dk], k [B, Tk, H·dk], v [B, Tk, H·dv], and
 *             optionally keep [B, Tq, Tk] (1 where a query may attend to a
 *             key; masked scores get (1 − keep)·(−1e9) added, as the
 *             composition does)
 *     attrs   heads, keyDim, valueDim, scale; keepProb (1: no dropout), seed
 *             and first (the dropout mask of the weights [B, H, Tq, Tk] is
 *             kernels/dropout.ts's, element i drawn as first + i: the same
 *             mask nn.dropout draws on the composition's weights)
 *     outputs [context [B, Tq, H·dv], saved] — `saved` is whatever the
 *             backend's grad kernel needs (the softmax's weights, and on wasm
 *             with dropout the weights after it too); it gets no upstream
 *             gradient (see runFusedSequence)
 *   GraphcAttentionGrad
 *     inputs  dh [B, Tq, H·dv], q, k, v, (keep), h (the context), saved
 *     attrs   as the forward kernel's
 *     outputs [dq, dk, dv] (+ dkeep [B, Tq, Tk], summed over the heads)
 */
import { platform } from '../platform/platform.js';
import { tf } from '../tf.js';
import { hasKernelPair, runFusedSequence } from './fused_sequence.js';

export const ATTENTION = 'GraphcAttention';
export const ATTENTION_GRAD = 'GraphcAttentionGrad';

/** GRAPHC_ATTENTION=composition runs attention as the composition of tfjs ops on every backend. */
export const ATTENTION_ENV = 'GRAPHC_ATTENTION';

/** Added to a masked score (the composition's constant): exp of it is 0, and a fully masked row attends uniformly. */
export const MASKED_SCORE = -1e9;

export interface AttentionAttrs {
  readonly heads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly scale: number;
  readonly keepProb: number;
  readonly seed: number;
  readonly first: number;
}

/** The most invocations one webgpu attention program dispatches: 65,535 workgroups (WebGPU's limit per dimension) of 64. */
export const WEBGPU_MAX_INVOCATIONS = 65535 * 64;

/**
 * True when `backend` registers the kernel pair, GRAPHC_ATTENTION does not ask
 * for the composition and, on webgpu, the problem (`sizes`, where known) fits
 * its programs' one-dimensional dispatch; a larger one runs as the composition.
 */
export function hasFusedAttention(backend = tf.getBackend(), sizes?: AttentionSizes): boolean {
  if (platform().env(ATTENTION_ENV)?.toLowerCase() === 'composition') return false;
  if (backend === 'webgpu' && sizes !== undefined) {
    const { batch, tq, tk, heads, dk, dv } = sizes;
    if (Math.max(batch * heads * tq, batch * heads * Math.max(tq, tk) * Math.max(dk, dv), batch * tq * tk) > WEBGPU_MAX_INVOCATIONS) return false;
  }
  return hasKernelPair(ATTENTION, ATTENTION_GRAD, backend);
}

/** The fused kernel on projected q, k, v ([B, T, H·dim]) and an optional float32 keep mask [B, Tq, Tk]. */
export function fusedAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, keep: tf.Tensor3D | undefined, attrs: AttentionAttrs): tf.Tensor3D {
  const inputs: Record<string, tf.Tensor> = keep === undefined ? { q, k, v } : { q, k, v, keep };
  return runFusedSequence(ATTENTION, ATTENTION_GRAD, inputs, { ...attrs }) as tf.Tensor3D;
}

/** The sizes every kernel derives from its inputs and attrs. */
export interface AttentionSizes {
  readonly batch: number;
  readonly tq: number;
  readonly tk: number;
  readonly heads: number;
  readonly dk: number;
  readonly dv: number;
}

export function attentionSizes(q: tf.TensorInfo, k: tf.TensorInfo, attrs: AttentionAttrs): AttentionSizes {
  return { batch: q.shape[0]!, tq: q.shape[1]!, tk: k.shape[1]!, heads: attrs.heads, dk: attrs.keyDim, dv: attrs.valueDim };
}
