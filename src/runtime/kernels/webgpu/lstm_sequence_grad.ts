/**
 * GraphcLstmSequenceGrad on webgpu: BPTT in one persistent program writing
 * the pre-activation gradients dA = [da_i | da_j | da_f | da_o] of every
 * (b, t), then dKernel, dBias and dx as single reductions over all B·T rows.
 *
 * With dh from dy and the next step, and dc carried from the next step:
 *   dc  += dh ⊙ σo ⊙ (1 − tanh²c)        da_o = dh ⊙ tanh c ⊙ σo(1−σo)
 *   da_i = dc ⊙ tanh j ⊙ σi(1−σi)        da_j = dc ⊙ σi ⊙ (1 − tanh²j)
 *   da_f = dc ⊙ c_prev ⊙ σf(1−σf)        dc_prev = dc ⊙ σf
 *   dh_prev = dA · W_hᵀ
 *   dKernel = [x | h_prev]ᵀ · dA,   dBias = Σ dA,   dx = dA · W_xᵀ
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../../tf.js';
import { columnSumsSpec, columnSumsUniforms, productSpec, productUniforms } from './gemm.js';
import { LSTM_SEQUENCE_GRAD } from '../lstm_sequence.js';
import { LSTM_SAVED_WIDTH, lstmDimsOf, type LstmAttrs } from './lstm_sequence.js';
import { disposeIntermediate, runProgram } from './program.js';
import { checkSharedUnits, persistentSpec, previousSavedWgsl, sequenceKey, type PersistentProgram, type SequenceDims } from './sequence.js';

const GRADIENT_WIDTH = 4;

function bpttProgram(d: SequenceDims): PersistentProgram {
  const h = d.units;
  return {
    name: 'lstm_sequence_bptt',
    dims: d,
    inputs: ['dh', 'saved', 'kernel'],
    width: GRADIENT_WIDTH,
    code: (perLane) => /* wgsl */ `
const GATES : i32 = ${GRADIENT_WIDTH * h};
${previousSavedWgsl(d, LSTM_SAVED_WIDTH, false)}
var<workgroup> da : array<f32, ${GRADIENT_WIDTH * h}>;
fn main(index : i32) {
  let b = i32(workgroupId.x);
  let lane = i32(localId.x);
  let steps = uniforms.dhShape.y;
  var carryH : array<f32, ${perLane}>;
  var carryC : array<f32, ${perLane}>;
  for (var s = steps - 1; s >= 0; s--) {
    let row = b * steps + timeAt(s, steps);
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        let at = row * SAVED;
        let c = saved[at + UNITS + j];
        let gi = saved[at + 2 * UNITS + j];
        let gj = saved[at + 3 * UNITS + j];
        let gf = saved[at + 4 * UNITS + j];
        let go = saved[at + 5 * UNITS + j];
        let cPrev = previousSaved(row, UNITS + j);
        let dhv = dh[row * UNITS + j] + carryH[q];
        let tc = tanhOf(c);
        let dc = carryC[q] + dhv * go * (1.0 - tc * tc);
        let g = vec4<f32>(dc * gj * gi * (1.0 - gi), dc * gi * (1.0 - gj * gj), dc * cPrev * gf * (1.0 - gf), dhv * tc * go * (1.0 - go));
        carryC[q] = dc * gf;
        da[j] = g.x;
        da[UNITS + j] = g.y;
        da[2 * UNITS + j] = g.z;
        da[3 * UNITS + j] = g.w;
        result[row * GATES + j] = g.x;
        result[row * GATES + UNITS + j] = g.y;
        result[row * GATES + 2 * UNITS + j] = g.z;
        result[row * GATES + 3 * UNITS + j] = g.w;
      }
    }
    workgroupBarrier();
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var sum = 0.0;
        for (var n = 0; n < GATES; n++) { sum += da[n] * kernel[(INPUT + j) * GATES + n]; }
        carryH[q] = sum;
      }
    }
    workgroupBarrier();
  }
}
`,
  };
}

export const lstmSequenceGradConfig: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    const { dh, x, kernel, bias, saved } = inputs as Record<string, tf.TensorInfo>;
    const d = lstmDimsOf(x!, bias!, (attrs as unknown as LstmAttrs).reverse);
    checkSharedUnits(gpu, LSTM_SEQUENCE_GRAD, d, GRADIENT_WIDTH * d.units);
    const rowsBT = d.batch * d.steps;
    const h = d.units;
    const key = sequenceKey('lstm_grad', d);
    const dA = runProgram(gpu, persistentSpec(bpttProgram(d)), [dh!, saved!, kernel!]);

    const weights = { rows: d.inputSize + h, cols: GRADIENT_WIDTH * h, inner: rowsBT };
    const dKernel = runProgram(
      gpu,
      productSpec({
        key: `${key}_kernel`,
        inputs: ['x', 'saved', 'dA'],
        loaders: /* wgsl */ `
const INPUT : i32 = ${d.inputSize};
${previousSavedWgsl(d, LSTM_SAVED_WIDTH)}
fn lhs(row : i32, k : i32) -> f32 {
  if (row < INPUT) { return x[k * INPUT + row]; }
  return previousSaved(k, row - INPUT);
}
fn rhs(k : i32, col : i32) -> f32 { return dA[k * ${GRADIENT_WIDTH * h} + col]; }`,
        ...weights,
        lhsContiguous: 'row',
        rhsContiguous: 'col',
      }),
      [x!, saved!, dA],
      productUniforms(weights),
    );
    const sums = { cols: GRADIENT_WIDTH * h, inner: rowsBT };
    const dBias = runProgram(
      gpu,
      columnSumsSpec({
        key: `${key}_bias`,
        inputs: ['dA'],
        loader: /* wgsl */ `fn term(k : i32, col : i32) -> f32 { return dA[k * ${GRADIENT_WIDTH * h} + col]; }`,
        ...sums,
      }),
      [dA],
      columnSumsUniforms(sums),
    );
    const input = { rows: rowsBT, cols: d.inputSize, inner: GRADIENT_WIDTH * h };
    const dx = runProgram(
      gpu,
      productSpec({
        key: `${key}_input`,
        inputs: ['dA', 'kernel'],
        loaders: /* wgsl */ `
fn lhs(row : i32, k : i32) -> f32 { return dA[row * ${GRADIENT_WIDTH * h} + k]; }
fn rhs(k : i32, col : i32) -> f32 { return kernel[col * ${GRADIENT_WIDTH * h} + k]; }`,
        ...input,
        lhsContiguous: 'k',
        rhsContiguous: 'k',
        outputShape: [d.batch, d.steps, d.inputSize],
      }),
      [dA, kernel!],
      productUniforms(input),
    );
    disposeIntermediate(gpu, dA);
    return [dx, dKernel, dBias];
  },
};
