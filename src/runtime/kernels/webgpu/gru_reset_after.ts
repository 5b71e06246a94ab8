/**
 * GraphcGruSequence(Grad) on webgpu for a reset_after cell (Keras's and
 * PyTorch's GRU, rnn/gru_weights.ts): the same persistent-program layout as
 * TF1's form (gru_sequence.ts, gru_sequence_grad.ts), with
 *   hc = h_prev · W_c,h + b_c,h      c = tanh(x · W_c,x + b_c + r ⊙ hc)
 * The forward keeps per (b, t) row h | r | u | c | hc. BPTT, with dh the
 * gradient reaching a step's output:
 *   da_c = dh ⊙ (1−u)(1−c²)       dhc = da_c ⊙ r
 *   da_r = da_c ⊙ hc ⊙ r(1−r)     da_u = dh ⊙ (h_prev − c) ⊙ u(1−u)
 *   dh_prev = dh ⊙ u + [da_r | da_u] · W_g,hᵀ + dhc · W_c,hᵀ
 * and the reductions over all B·T rows: dGatesKernel = [x | h_prev]ᵀ · [da_r | da_u],
 * dCandidateKernel = [xᵀ · da_c ; h_prevᵀ · dhc], the biases the column sums
 * of [da_r | da_u], da_c and dhc, dx = [da_r | da_u | da_c] · W_xᵀ.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { GRU_SEQUENCE, GRU_SEQUENCE_GRAD } from '../gru_sequence.js';
import type { tf } from '../../tf.js';
import { productSpec, productUniforms } from './gemm.js';
import { biasGradient, gatesKernelGradient, inputGradient, type GruGradContext } from './gru_grad_reductions.js';
import { disposeIntermediate, runProgram } from './program.js';
import { checkSharedUnits, persistentSpec, previousSavedWgsl, runForward, sequenceDims, sequenceKey, type PersistentProgram, type SequenceDims } from './sequence.js';

/** Values per unit in each (b, t) row of `saved`: h, r, u, c, hc. */
const SAVED_WIDTH = 5;
/** Values per unit in each row of the BPTT's output: da_r, da_u, da_c, dhc. */
const GRADIENT_WIDTH = 4;

function forwardProgram(d: SequenceDims): PersistentProgram {
  return {
    name: 'gru_reset_after_sequence',
    dims: d,
    inputs: ['x', 'gatesKernel', 'gatesBias', 'candidateKernel', 'candidateBias', 'candidateRecurrentBias'],
    width: SAVED_WIDTH,
    code: (perLane) => /* wgsl */ `
var<workgroup> hPrev : array<f32, ${d.units}>;
fn main(index : i32) {
  let b = i32(workgroupId.x);
  let lane = i32(localId.x);
  let steps = uniforms.xShape.y;
  for (var q = 0; q < PER_LANE; q++) {
    let j = lane + q * LANES;
    if (j < UNITS) { hPrev[j] = 0.0; }
  }
  workgroupBarrier();
  var r : array<f32, ${perLane}>;
  var u : array<f32, ${perLane}>;
  var c : array<f32, ${perLane}>;
  var hc : array<f32, ${perLane}>;
  var hNew : array<f32, ${perLane}>;
  for (var s = 0; s < steps; s++) {
    let t = timeAt(s, steps);
    let xRow = (b * steps + t) * INPUT;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var ar = gatesBias[j];
        var au = gatesBias[UNITS + j];
        var ac = candidateBias[j];
        var ah = candidateRecurrentBias[j];
        for (var k = 0; k < INPUT; k++) {
          let xv = x[xRow + k];
          ar += xv * gatesKernel[k * 2 * UNITS + j];
          au += xv * gatesKernel[k * 2 * UNITS + UNITS + j];
          ac += xv * candidateKernel[k * UNITS + j];
        }
        for (var k = 0; k < UNITS; k++) {
          let hv = hPrev[k];
          ar += hv * gatesKernel[(INPUT + k) * 2 * UNITS + j];
          au += hv * gatesKernel[(INPUT + k) * 2 * UNITS + UNITS + j];
          ah += hv * candidateKernel[(INPUT + k) * UNITS + j];
        }
        r[q] = sigmoidOf(ar);
        u[q] = sigmoidOf(au);
        hc[q] = ah;
        c[q] = tanhOf(ac + r[q] * ah);
        hNew[q] = c[q] + u[q] * (hPrev[j] - c[q]);
      }
    }
    workgroupBarrier();
    let out = (b * steps + t) * ${SAVED_WIDTH} * UNITS;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        hPrev[j] = hNew[q];
        result[out + j] = hNew[q];
        result[out + UNITS + j] = r[q];
        result[out + 2 * UNITS + j] = u[q];
        result[out + 3 * UNITS + j] = c[q];
        result[out + 4 * UNITS + j] = hc[q];
      }
    }
    workgroupBarrier();
  }
}
`,
  };
}

function bpttProgram(d: SequenceDims): PersistentProgram {
  const h = d.units;
  return {
    name: 'gru_reset_after_bptt',
    dims: d,
    inputs: ['dh', 'saved', 'gatesKernel', 'candidateKernel'],
    width: GRADIENT_WIDTH,
    code: (perLane) => /* wgsl */ `
const GRADS : i32 = ${GRADIENT_WIDTH * h};
${previousSavedWgsl(d, SAVED_WIDTH, false)}
var<workgroup> daGates : array<f32, ${2 * h}>;
var<workgroup> dRecurrent : array<f32, ${h}>;
fn main(index : i32) {
  let b = i32(workgroupId.x);
  let lane = i32(localId.x);
  let steps = uniforms.dhShape.y;
  var carry : array<f32, ${perLane}>;
  var dhAt : array<f32, ${perLane}>;
  for (var s = steps - 1; s >= 0; s--) {
    let t = timeAt(s, steps);
    let row = b * steps + t;
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        let r = saved[row * SAVED + UNITS + j];
        let u = saved[row * SAVED + 2 * UNITS + j];
        let c = saved[row * SAVED + 3 * UNITS + j];
        let hc = saved[row * SAVED + 4 * UNITS + j];
        let hp = previousSaved(row, j);
        dhAt[q] = dh[row * UNITS + j] + carry[q];
        let dac = dhAt[q] * (1.0 - u) * (1.0 - c * c);
        let dar = dac * hc * r * (1.0 - r);
        let dau = dhAt[q] * (hp - c) * u * (1.0 - u);
        daGates[j] = dar;
        daGates[UNITS + j] = dau;
        dRecurrent[j] = dac * r;
        result[row * GRADS + j] = dar;
        result[row * GRADS + UNITS + j] = dau;
        result[row * GRADS + 2 * UNITS + j] = dac;
        result[row * GRADS + 3 * UNITS + j] = dac * r;
      }
    }
    workgroupBarrier();
    for (var q = 0; q < PER_LANE; q++) {
      let j = lane + q * LANES;
      if (j < UNITS) {
        var g = 0.0;
        for (var n = 0; n < 2 * UNITS; n++) { g += daGates[n] * gatesKernel[(INPUT + j) * 2 * UNITS + n]; }
        for (var n = 0; n < UNITS; n++) { g += dRecurrent[n] * candidateKernel[(INPUT + j) * UNITS + n]; }
        let u = saved[row * SAVED + 2 * UNITS + j];
        carry[q] = dhAt[q] * u + g;
      }
    }
    workgroupBarrier();
  }
}
`,
  };
}

/** block_gru reset_after forward: [h, saved]. */
export function gruResetAfterForward(gpu: WebGPUBackend, inputs: Record<string, tf.TensorInfo>, reverse: boolean): tf.TensorInfo[] {
  const { x, gatesKernel, gatesBias, candidateKernel, candidateBias, candidateRecurrentBias } = inputs;
  const d = sequenceDims(x!, candidateBias!.shape[0]!, reverse);
  checkSharedUnits(gpu, GRU_SEQUENCE, d, d.units);
  return runForward(gpu, forwardProgram(d), [x!, gatesKernel!, gatesBias!, candidateKernel!, candidateBias!, candidateRecurrentBias!]);
}

/** block_gru reset_after gradients: [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias, dCandidateRecurrentBias]. */
export function gruResetAfterGrad(gpu: WebGPUBackend, inputs: Record<string, tf.TensorInfo>, reverse: boolean): tf.TensorInfo[] {
  const { dh, x, gatesKernel, candidateKernel, candidateBias, saved } = inputs;
  const d = sequenceDims(x!, candidateBias!.shape[0]!, reverse);
  checkSharedUnits(gpu, GRU_SEQUENCE_GRAD, d, 3 * d.units);
  const rowsBT = d.batch * d.steps;
  const h = d.units;
  const grads = GRADIENT_WIDTH * h;
  const key = sequenceKey('gru_reset_after_grad', d);
  const dA = runProgram(gpu, persistentSpec(bpttProgram(d)), [dh!, saved!, gatesKernel!, candidateKernel!]);
  const savedWgsl = /* wgsl */ `
const INPUT : i32 = ${d.inputSize};
const UNITS : i32 = ${h};
const GRADS : i32 = ${grads};
${previousSavedWgsl(d, SAVED_WIDTH)}`;

  const c: GruGradContext = { gpu, d, key, dA, gradientWidth: GRADIENT_WIDTH };
  const dGatesKernel = gatesKernelGradient(c, savedWgsl, x!, saved!);
  // [xᵀ · da_c ; h_prevᵀ · dhc] as one product over 2·B·T terms: the first B·T feed the x rows, the rest the h rows.
  const candidate = { rows: d.inputSize + h, cols: h, inner: 2 * rowsBT };
  const dCandidateKernel = runProgram(
    gpu,
    productSpec({
      key: `${key}_candidate_kernel`,
      inputs: ['x', 'saved', 'dA'],
      loaders: /* wgsl */ `${savedWgsl}
const ROWS : i32 = ${rowsBT};
fn lhs(row : i32, k : i32) -> f32 {
  if (k < ROWS) {
    if (row < INPUT) { return x[k * INPUT + row]; }
    return 0.0;
  }
  if (row < INPUT) { return 0.0; }
  return previousSaved(k - ROWS, row - INPUT);
}
fn rhs(k : i32, col : i32) -> f32 {
  if (k < ROWS) { return dA[k * GRADS + 2 * UNITS + col]; }
  return dA[(k - ROWS) * GRADS + 3 * UNITS + col];
}`,
      ...candidate,
      lhsContiguous: 'row',
      rhsContiguous: 'col',
    }),
    [x!, saved!, dA],
    productUniforms(candidate),
  );
  const dGatesBias = biasGradient(c, 'gates_bias', 0, 2 * h);
  const dCandidateBias = biasGradient(c, 'candidate_bias', 2 * h, h);
  const dCandidateRecurrentBias = biasGradient(c, 'candidate_recurrent_bias', 3 * h, h);
  const dx = inputGradient(c, gatesKernel!, candidateKernel!);
  disposeIntermediate(gpu, dA);
  return [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias, dCandidateRecurrentBias];
}
