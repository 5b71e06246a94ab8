/**
 * GraphcAttention (kernels/attention.ts) on webgpu, in two programs (a
 * program has one output):
 *   weights  one invocation per (b, h, query row): the row's scores from q
 *            and k read in place in [B, T, H·dk], scaled and masked, and
 *            their softmax, written to the weights [B, H, Tq, Tk];
 *   context  one invocation per output element (b, i, h, d): the row of
 *            weights, dropped out by the hash nn.dropout uses, times
 *            column d of head h's values, written in [B, Tq, H·dv].
 * Sizes are baked into the code (the pipeline key names them); the dropout's
 * keys, first index and keep probability and the scale are uniforms. The
 * mask is read through f32(): a bool mask cast to float32 keeps its integer
 * buffer on webgpu (tfjs's Cast relabels it), which tfjs then binds as i32.
 * attention_grad.ts shares the helpers below.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ATTENTION, attentionSizes, MASKED_SCORE, type AttentionAttrs, type AttentionSizes } from '../attention.js';
import { maskKeys } from '../dropout.js';
import type { tf } from '../../tf.js';
import { HASH_WGSL } from './dropout.js';
import { intUniforms, runProgram, type ProgramSpec, type UniformValues } from './program.js';

const WORKGROUP = 64;

/** The pipeline key of a program of these sizes. */
export function attentionKey(name: string, s: AttentionSizes, flags: Record<string, boolean>): string {
  const on = Object.entries(flags).flatMap(([flag, set]) => (set ? [flag] : []));
  return [`attention_${name}`, s.batch, s.tq, s.tk, s.heads, s.dk, s.dv, ...on].join('_');
}

/**
 * WGSL shared by the attention programs: the sizes as constants, the
 * uniforms' names, and dropped(w, index): weight w of flat weight index
 * `index` after dropout (w itself without dropout).
 */
export function attentionWgsl(s: AttentionSizes, dropout: boolean): string {
  return /* wgsl */ `
const TQ : i32 = ${s.tq};
const TK : i32 = ${s.tk};
const HEADS : i32 = ${s.heads};
const DK : i32 = ${s.dk};
const DV : i32 = ${s.dv};
const MASKED_SCORE : f32 = ${MASKED_SCORE.toExponential()};
${HASH_WGSL}
fn dropped(w : f32, index : i32) -> f32 {
  ${dropout
    ? `let h = lowbias32(lowbias32(u32(uniforms.first + index) ^ bitcast<u32>(uniforms.keyA)) ^ bitcast<u32>(uniforms.keyB));
  if (f32(h >> 8u) * (1.0 / 16777216.0) < uniforms.keepProb) { return w / uniforms.keepProb; }
  return 0.0;`
    : 'return w;'}
}`;
}

/** The uniforms every attention program declares after `size`. */
export const ATTENTION_UNIFORMS = 'size : i32, keyA : i32, keyB : i32, first : i32, keepProb : f32, scale : f32,';

export function attentionUniforms(size: number, a: AttentionAttrs): UniformValues {
  return [...intUniforms(size, ...maskKeys(a.seed), a.first), { type: 'float32', data: [a.keepProb] }, { type: 'float32', data: [a.scale] }];
}

/** A program of `size` invocations (64 per workgroup) writing `outputShape`; `body` runs for each index below size. */
export function attentionSpec(p: { key: string; inputs: readonly string[]; outputShape: readonly number[]; size: number; helpers: string; body: string }): ProgramSpec {
  return {
    key: p.key,
    inputs: p.inputs,
    outputShape: p.outputShape,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatch: [Math.ceil(p.size / WORKGROUP), 1, 1],
    uniforms: ATTENTION_UNIFORMS,
    code: /* wgsl */ `
${p.helpers}
fn main(index : i32) {
  if (index < uniforms.size) {
${p.body}
  }
}
`,
  };
}

export const attentionConfig: tf.KernelConfig = {
  kernelName: ATTENTION,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { q, k, v, keep } = inputs as Record<string, tf.TensorInfo | undefined>;
    const a = attrs as unknown as AttentionAttrs;
    const s = attentionSizes(q!, k!, a);
    const dropout = a.keepProb < 1;
    const masked = keep !== undefined;
    const rows = s.batch * s.heads * s.tq;
    const weights = runProgram(
      gpu,
      attentionSpec({
        key: attentionKey('weights', s, { masked }),
        inputs: masked ? ['q', 'k', 'keep'] : ['q', 'k'],
        outputShape: [s.batch, s.heads, s.tq, s.tk],
        size: rows,
        helpers: attentionWgsl(s, false),
        body: /* wgsl */ `
    let b = index / (HEADS * TQ);
    let h = (index / TQ) % HEADS;
    let i = index % TQ;
    let qRow = (b * TQ + i) * HEADS * DK + h * DK;
    let out = index * TK;
    var top = -uniforms.INFINITY;
    for (var j = 0; j < TK; j++) {
      let kRow = (b * TK + j) * HEADS * DK + h * DK;
      var dot = 0.0;
      for (var d = 0; d < DK; d++) { dot += q[qRow + d] * k[kRow + d]; }
      var score = dot * uniforms.scale;
      ${masked ? 'score += (1.0 - f32(keep[(b * TQ + i) * TK + j])) * MASKED_SCORE;' : ''}
      result[out + j] = score;
      top = max(top, score);
    }
    var total = 0.0;
    for (var j = 0; j < TK; j++) {
      let e = exp(result[out + j] - top);
      result[out + j] = e;
      total += e;
    }
    for (var j = 0; j < TK; j++) { result[out + j] = result[out + j] / total; }`,
      }),
      masked ? [q!, k!, keep] : [q!, k!],
      attentionUniforms(rows, a),
    );
    const size = s.batch * s.tq * s.heads * s.dv;
    const context = runProgram(
      gpu,
      attentionSpec({
        key: attentionKey('context', s, { dropout }),
        inputs: ['weights', 'v'],
        outputShape: [s.batch, s.tq, s.heads * s.dv],
        size,
        helpers: attentionWgsl(s, dropout),
        body: /* wgsl */ `
    let d = index % DV;
    let h = (index / DV) % HEADS;
    let i = (index / (DV * HEADS)) % TQ;
    let b = index / (DV * HEADS * TQ);
    let row = ((b * HEADS + h) * TQ + i) * TK;
    var sum = 0.0;
    for (var j = 0; j < TK; j++) {
      sum += dropped(weights[row + j], row + j) * v[(b * TK + j) * HEADS * DV + h * DV + d];
    }
    result[index] = sum;`,
      }),
      [weights, v!],
      attentionUniforms(size, a),
    );
    return [context, weights];
  },
};
