/**
 * GraphcAttentionGrad (kernels/attention.ts) on webgpu. With W the saved
 * weights, Wd = dropout(W) and dO head h's columns of dh:
 *   scores  one invocation per (b, h, query row): dW = (dO · Vᵀ) ⊙ mask / keepProb,
 *           then dS = (dW − Σⱼ dW ⊙ W) ⊙ W, the softmax's gradient, [B, H, Tq, Tk]
 *   dq      per element (b, i, h, d): scale · Σⱼ dS[b, h, i, j] · k[b, j, h, d]
 *   dk      per element (b, j, h, d): scale · Σᵢ dS[b, h, i, j] · q[b, i, h, d]
 *   dv      per element (b, j, h, d): Σᵢ Wd[b, h, i, j] · dO[b, i, h, d]
 *   dkeep   per element (b, i, j), with a mask: Σₕ dS[b, h, i, j] · 1e9
 * the input gradients written in the inputs' [B, T, H·dim] layout.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ATTENTION_GRAD, attentionSizes, type AttentionAttrs } from '../attention.js';
import type { tf } from '../../tf.js';
import { attentionKey, attentionSpec, attentionUniforms, attentionWgsl } from './attention.js';
import { disposeIntermediate, runProgram } from './program.js';

export const attentionGradConfig: tf.KernelConfig = {
  kernelName: ATTENTION_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { dh, q, k, v, keep, saved } = inputs as Record<string, tf.TensorInfo | undefined>;
    const a = attrs as unknown as AttentionAttrs;
    const s = attentionSizes(q!, k!, a);
    const dropout = a.keepProb < 1;
    const helpers = attentionWgsl(s, dropout);
    const run = (name: string, names: string[], tensors: tf.TensorInfo[], outputShape: number[], body: string): tf.TensorInfo => {
      const size = outputShape.reduce((x, y) => x * y, 1);
      return runProgram(gpu, attentionSpec({ key: attentionKey(name, s, { dropout }), inputs: names, outputShape, size, helpers, body }), tensors, attentionUniforms(size, a));
    };
    const rows = s.batch * s.heads * s.tq;
    const scores = runProgram(
      gpu,
      attentionSpec({
        key: attentionKey('grad_scores', s, { dropout }),
        inputs: ['dh', 'v', 'weights'],
        outputShape: [s.batch, s.heads, s.tq, s.tk],
        size: rows,
        helpers,
        body: /* wgsl */ `
    let b = index / (HEADS * TQ);
    let h = (index / TQ) % HEADS;
    let i = index % TQ;
    let dRow = (b * TQ + i) * HEADS * DV + h * DV;
    let out = index * TK;
    var rowSum = 0.0;
    for (var j = 0; j < TK; j++) {
      let vRow = (b * TK + j) * HEADS * DV + h * DV;
      var dot = 0.0;
      for (var d = 0; d < DV; d++) { dot += dh[dRow + d] * v[vRow + d]; }
      // Dropout's gradient is dropout of the gradient (the same mask and scale).
      let dw = dropped(dot, out + j);
      result[out + j] = dw;
      rowSum += dw * weights[out + j];
    }
    for (var j = 0; j < TK; j++) { result[out + j] = (result[out + j] - rowSum) * weights[out + j]; }`,
      }),
      [dh!, v!, saved!],
      attentionUniforms(rows, a),
    );
    try {
      const dq = run('grad_q', ['scores', 'k'], [scores, k!], [...q!.shape], /* wgsl */ `
    let d = index % DK;
    let h = (index / DK) % HEADS;
    let i = (index / (DK * HEADS)) % TQ;
    let b = index / (DK * HEADS * TQ);
    let row = ((b * HEADS + h) * TQ + i) * TK;
    var sum = 0.0;
    for (var j = 0; j < TK; j++) { sum += scores[row + j] * k[(b * TK + j) * HEADS * DK + h * DK + d]; }
    result[index] = sum * uniforms.scale;`);
      const dk = run('grad_k', ['scores', 'q'], [scores, q!], [...k!.shape], /* wgsl */ `
    let d = index % DK;
    let h = (index / DK) % HEADS;
    let j = (index / (DK * HEADS)) % TK;
    let b = index / (DK * HEADS * TK);
    let column = (b * HEADS + h) * TQ * TK + j;
    var sum = 0.0;
    for (var i = 0; i < TQ; i++) { sum += scores[column + i * TK] * q[(b * TQ + i) * HEADS * DK + h * DK + d]; }
    result[index] = sum * uniforms.scale;`);
      const dv = run('grad_v', ['weights', 'dh'], [saved!, dh!], [...v!.shape], /* wgsl */ `
    let d = index % DV;
    let h = (index / DV) % HEADS;
    let j = (index / (DV * HEADS)) % TK;
    let b = index / (DV * HEADS * TK);
    let column = (b * HEADS + h) * TQ * TK + j;
    var sum = 0.0;
    for (var i = 0; i < TQ; i++) { sum += dropped(weights[column + i * TK], column + i * TK) * dh[(b * TQ + i) * HEADS * DV + h * DV + d]; }
    result[index] = sum;`);
      if (keep === undefined) return [dq, dk, dv];
      const dkeep = run('grad_keep', ['scores'], [scores], [...keep.shape], /* wgsl */ `
    let j = index % TK;
    let i = (index / TK) % TQ;
    let b = index / (TK * TQ);
    var sum = 0.0;
    for (var h = 0; h < HEADS; h++) { sum += scores[((b * HEADS + h) * TQ + i) * TK + j]; }
    result[index] = -sum * MASKED_SCORE;`);
      return [dq, dk, dv, dkeep];
    } finally {
      disposeIntermediate(gpu, scores);
    }
  },
};
