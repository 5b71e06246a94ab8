/**
 * GraphcGruSequenceGrad on webgpu: backpropagation through time in one
 * persistent program (one workgroup per batch row, the T steps in reverse
 * processing order inside the shader), which writes the gate
 * pre-activation gradients dA = [da_r | da_u | da_c] of every (b, t); then
 * the weight, bias and input gradients as single reductions over all B·T
 * rows (gemm.ts), reading x and the forward's saved states in place.
 *
 * With dh the gradient reaching a step's output (from dy and the next step):
 *   da_c = dh ⊙ (1−u)(1−c²)             drh = da_c · W_c,hᵀ
 *   da_r = drh ⊙ h_prev ⊙ r(1−r)        da_u = dh ⊙ (h_prev − c) ⊙ u(1−u)
 *   dh_prev = drh ⊙ r + dh ⊙ u + [da_r | da_u] · W_g,hᵀ
 *   dGatesKernel = [x | h_prev]ᵀ · [da_r | da_u]    dCandidateKernel = [x | r⊙h_prev]ᵀ · da_c
 *   dx = [da_r | da_u] · W_g,xᵀ + da_c · W_c,xᵀ     biases: column sums of dA
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { GRU_SEQUENCE_GRAD } from '../gru_sequence.js';
import { tf } from '../../tf.js';
import { productSpec, productUniforms } from './gemm.js';
import { biasGradient, gatesKernelGradient, inputGradient, type GruGradContext } from './gru_grad_reductions.js';
import { GRU_SAVED_WIDTH, gruDimsOf } from './gru_sequence.js';
import { gruResetAfterGrad } from './gru_reset_after.js';
import { disposeIntermediate, runProgram } from './program.js';
import { checkSharedUnits, persistentSpec, previousSavedWgsl, sequenceKey, type PersistentProgram, type SequenceDims } from './sequence.js';

const GRADIENT_WIDTH = 3; // da_r, da_u, da_c per unit

function bpttProgram(d: SequenceDims): PersistentProgram {
  const h = d.units;
  return {
    name: 'gru_sequence_bptt',
    dims: d,
    inputs: ['dh', 'saved', 'gatesKernel', 'candidateKernel'],
    width: GRADIENT_WIDTH,
    code: (perLane) => /* wgsl */ `
const GRADS : i32 = ${GRADIENT_WIDTH * h};
${previousSavedWgsl(d, GRU_SAVED_WIDTH, false)}
var<workgroup> daCandidate : array<f32, ${h}>;
var<workgroup> daGates : array<f32, ${2 * h}>;
fn main(index : i32) {
  let b = i32(workgroupId.x);
  let lane = i32(localId.x);
  let steps = uniforms.dhShape.y;
  var carry : array<f32, ${perLane}>;
  var dhAt : array<f32, ${perLane}>;
  var drh : array<f32, ${perLane}>;
  for (var s = steps - 1; s >= 0; s--) {
    let t = timeAt(s, steps);
    let row = b * steps + t;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        let u = saved[row * SAVED + 2 * UNITS + j];
        let c = saved[row * SAVED + 3 * UNITS + j];
        dhAt[q] = dh[row * UNITS + j] + carry[q];
        let dac = dhAt[q] * (1.0 - u) * (1.0 - c * c);
        daCandidate[j] = dac;
        result[row * GRADS + 2 * UNITS + j] = dac;
      }
    }
    workgroupBarrier();
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var d = 0.0;
        for (var n = 0; n < UNITS; n++) { d += daCandidate[n] * candidateKernel[(INPUT + j) * UNITS + n]; }
        drh[q] = d;
        let hp = previousSaved(row, j);
        let r = saved[row * SAVED + UNITS + j];
        let u = saved[row * SAVED + 2 * UNITS + j];
        let c = saved[row * SAVED + 3 * UNITS + j];
        let dar = d * hp * r * (1.0 - r);
        let dau = dhAt[q] * (hp - c) * u * (1.0 - u);
        daGates[j] = dar;
        daGates[UNITS + j] = dau;
        result[row * GRADS + j] = dar;
        result[row * GRADS + UNITS + j] = dau;
      }
    }
    workgroupBarrier();
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var g = 0.0;
        for (var n = 0; n < 2 * UNITS; n++) { g += daGates[n] * gatesKernel[(INPUT + j) * 2 * UNITS + n]; }
        let r = saved[row * SAVED + UNITS + j];
        let u = saved[row * SAVED + 2 * UNITS + j];
        carry[q] = drh[q] * r + dhAt[q] * u + g;
      }
    }
  }
}
`,
  };
}

/** WGSL shared by the weight-gradient reductions: sizes, and h_prev and r of row m = b·T + t. */
function savedStateWgsl(d: SequenceDims): string {
  return /* wgsl */ `
const INPUT : i32 = ${d.inputSize};
const UNITS : i32 = ${d.units};
const GRADS : i32 = ${GRADIENT_WIDTH * d.units};
${previousSavedWgsl(d, GRU_SAVED_WIDTH)}
fn resetGate(m : i32, j : i32) -> f32 { return saved[m * SAVED + UNITS + j]; }
`;
}

export const gruSequenceGradConfig: tf.KernelConfig = {
  kernelName: GRU_SEQUENCE_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as WebGPUBackend;
    if (inputs['candidateRecurrentBias'] !== undefined) return gruResetAfterGrad(gpu, inputs as Record<string, tf.TensorInfo>, (attrs as { reverse: boolean }).reverse);
    const { dh, x, gatesKernel, candidateKernel, candidateBias, saved } = inputs as Record<string, tf.TensorInfo>;
    const d = gruDimsOf(x!, candidateBias!, (attrs as { reverse: boolean }).reverse);
    checkSharedUnits(gpu, GRU_SEQUENCE_GRAD, d, 3 * d.units);
    const rowsBT = d.batch * d.steps;
    const h = d.units;
    const key = sequenceKey('gru_grad', d);
    const dA = runProgram(gpu, persistentSpec(bpttProgram(d)), [dh!, saved!, gatesKernel!, candidateKernel!]);

    const c: GruGradContext = { gpu, d, key, dA, gradientWidth: GRADIENT_WIDTH };
    const dGatesKernel = gatesKernelGradient(c, savedStateWgsl(d), x!, saved!);
    const candidate = { rows: d.inputSize + h, cols: h, inner: rowsBT };
    const dCandidateKernel = runProgram(
      gpu,
      productSpec({
        key: `${key}_candidate_kernel`,
        inputs: ['x', 'saved', 'dA'],
        loaders: /* wgsl */ `${savedStateWgsl(d)}
fn lhs(row : i32, k : i32) -> f32 {
  if (row < INPUT) { return x[k * INPUT + row]; }
  return resetGate(k, row - INPUT) * previousSaved(k, row - INPUT);
}
fn rhs(k : i32, col : i32) -> f32 { return dA[k * GRADS + 2 * UNITS + col]; }`,
        ...candidate,
        lhsContiguous: 'row',
        rhsContiguous: 'col',
      }),
      [x!, saved!, dA],
      productUniforms(candidate),
    );
    const dGatesBias = biasGradient(c, 'gates_bias', 0, 2 * h);
    const dCandidateBias = biasGradient(c, 'candidate_bias', 2 * h, h);
    const dx = inputGradient(c, gatesKernel!, candidateKernel!);
    disposeIntermediate(gpu, dA);
    return [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias];
  },
};
