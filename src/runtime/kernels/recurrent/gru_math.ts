/**
 * The GRU cell over a whole sequence (TF GRUCell math, zero initial state),
 * forward and backward, for the GraphcGruSequence kernels of every backend.
 *
 * Forward: the input projections of all T·B rows are two GEMMs up front;
 * each step then costs h @ W_h (gates) and (r ⊙ h) @ W_h (candidate), with
 * the elementwise math in between done in place on the step's rows.
 * Backward: BPTT where only what depends on the carried gradient is per
 * step; the weight and input gradients are single GEMMs over all T·B rows.
 *
 * Activations are stored time-major (row t·B + b), so a step's rows are one
 * contiguous block a GEMM can read. tanh is computed as 2σ(2x) − 1 so that
 * every transcendental goes through the device's (vectorised) sigmoid.
 *
 * A reset_after cell (Keras's and PyTorch's form, rnn/gru_weights.ts) has a
 * fifth operand, the recurrent candidate bias b_ch; each step computes
 * hc = h_prev @ W_ch + b_ch and c = tanh(x @ W_cx + b_c + r ⊙ hc), and keeps
 * hc where TF1's form keeps r ⊙ h_prev. Its elementwise loops are the plain
 * JavaScript ones below on every device.
 */
import type { tf } from '../../tf.js';
import { runKernel, tensor } from './kernel.js';
import type { GruLoops, LaterStep } from './loops.js';
import { onesRow, rowsOf, transposed, type Device, type KernelDevice, type Mat } from './matrix.js';
import {
  activateStep,
  carve,
  columnAffineCopy,
  forwardOutputs,
  gradientOperands,
  initialBlock,
  inputGradient,
  kernelGradient,
  layoutSize,
  reverseAttr,
  sequenceInput,
  splitKernel,
  stateBlocks,
  timeMajor,
  timeOrder,
  transposedInputs,
  type SavedLayout,
  type SequenceDims,
} from './sequence.js';

/** The kernel's inputs as matrices: x is [B·T, I] (batch-major rows b·T + t), biases are 1 × n. */
export interface GruOperands<M extends Mat> {
  readonly x: M;
  readonly gatesKernel: M;
  readonly gatesBias: M;
  readonly candidateKernel: M;
  readonly candidateBias: M;
  /** reset_after cells only. */
  readonly candidateRecurrentBias?: M;
}

export interface GruGradients<M extends Mat> {
  readonly dx: M;
  readonly dGatesKernel: M;
  readonly dGatesBias: M;
  readonly dCandidateKernel: M;
  readonly dCandidateBias: M;
  /** reset_after cells only. */
  readonly dCandidateRecurrentBias?: M;
}

/**
 * What the forward pass keeps for the backward pass, in one float32 buffer:
 * the states h (T+1 blocks of [B, H], the zero initial state first for the
 * forward direction, last for the reverse one), the gates [r | u], the
 * candidate c and r ⊙ h_prev (reset_after: hc = h_prev @ W_ch + b_ch), each
 * time-major.
 */
function savedLayout(d: SequenceDims): SavedLayout<'states' | 'gates' | 'candidate' | 'resetState'> {
  const rows = d.steps * d.batch;
  return { states: [rows + d.batch, d.units], gates: [rows, 2 * d.units], candidate: [rows, d.units], resetState: [rows, d.units] };
}

export function gruSavedSize(d: SequenceDims): number {
  return layoutSize(savedLayout(d));
}

/** Runs the cell; writes the outputs h [B·T, H] (batch-major) and `saved` (gruSavedSize elements). */
export function gruForward<M extends Mat>(device: Device<M>, w: GruOperands<M>, d: SequenceDims, reverse: boolean, h: M, saved: M): void {
  if (w.candidateRecurrentBias !== undefined) {
    resetAfterForward(device, w, w.candidateRecurrentBias, d, reverse, h, saved);
    return;
  }
  const { batch, steps, inputSize, units } = d;
  const s = carve(device, saved, savedLayout(d));
  // tanh(a) = 2σ(2a) − 1: the candidate's weights and bias doubled give 2a; updateState finishes.
  const doubled = new Float32Array(units).fill(2);
  const [gatesX, gatesH] = splitKernel(device, w.gatesKernel, inputSize);
  const [candidateX, candidateH] = splitKernel(device, columnAffineCopy(device, w.candidateKernel, doubled), inputSize);
  const x = timeMajor(device, w.x, batch, steps);
  const xGates = device.scratch(steps * batch, 2 * units);
  const xCandidate = device.scratch(steps * batch, units);
  device.matmul(x, gatesX, xGates, w.gatesBias);
  device.matmul(x, candidateX, xCandidate, columnAffineCopy(device, w.candidateBias, doubled));
  const loops = device.gruLoops ?? GRU_LOOPS;
  const order = timeOrder(steps, reverse);
  const initial = rowsOf(device, s.states, initialBlock(steps, reverse) * batch, batch);
  initial.data.fill(0, initial.start, initial.start + batch * units);
  for (let k = 0; k < steps; k++) {
    const t = order[k]!;
    const [prev, next] = stateBlocks(t, reverse);
    const hPrev = rowsOf(device, s.states, prev * batch, batch);
    const gates = rowsOf(device, s.gates, t * batch, batch);
    const candidate = rowsOf(device, s.candidate, t * batch, batch);
    const resetState = rowsOf(device, s.resetState, t * batch, batch);
    activateStep(device, rowsOf(device, xGates, t * batch, batch), hPrev, gatesH, gates, k === 0);
    loops.resetProduct(gates, hPrev, resetState);
    activateStep(device, rowsOf(device, xCandidate, t * batch, batch), resetState, candidateH, candidate, k === 0);
    loops.updateState(gates, candidate, hPrev, rowsOf(device, s.states, next * batch, batch), h, t, steps);
  }
}

/** rh = r ⊙ h_prev, r being the first half of the gates. */
function resetProduct(gates: Mat, hPrev: Mat, rh: Mat): void {
  const { rows, cols: units } = hPrev;
  const g = gates.data;
  const hp = hPrev.data;
  const out = rh.data;
  for (let b = 0; b < rows; b++) {
    const r = gates.start + b * 2 * units;
    const src = hPrev.start + b * units;
    const dst = rh.start + b * units;
    for (let j = 0; j < units; j++) out[dst + j] = g[r + j]! * hp[src + j]!;
  }
}

/** c = 2σ − 1 (finishing tanh); h = c + u ⊙ (h_prev − c), written to the next state block and to output row b·T + t. */
function updateState(gates: Mat, candidate: Mat, hPrev: Mat, hNext: Mat, out: Mat, t: number, steps: number): void {
  const { rows, cols: units } = hPrev;
  const g = gates.data;
  const c = candidate.data;
  const hp = hPrev.data;
  const hn = hNext.data;
  const o = out.data;
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const u = gates.start + b * 2 * units + units;
    const dst = out.start + (b * steps + t) * units;
    const cRow = candidate.start + row;
    const hpRow = hPrev.start + row;
    const hnRow = hNext.start + row;
    for (let j = 0; j < units; j++) {
      const cj = 2 * c[cRow + j]! - 1;
      c[cRow + j] = cj;
      const hj = cj + g[u + j]! * (hp[hpRow + j]! - cj);
      hn[hnRow + j] = hj;
      o[dst + j] = hj;
    }
  }
}

/**
 * BPTT. With dh the gradient reaching a step's output (from dy and from the
 * next step), and a_r, a_u, a_c the pre-activations:
 *   da_c = dh ⊙ (1−u)(1−c²)
 *   drh  = da_c @ W_chᵀ
 *   da_r = drh ⊙ h_prev ⊙ r(1−r)
 *   da_u = dh ⊙ (h_prev − c) ⊙ u(1−u)
 *   dh_prev = drh ⊙ r + dh ⊙ u + [da_r | da_u] @ W_ghᵀ
 * then dW = [x | h_prev]ᵀ @ da over all rows, db = Σ da, dx = da @ W_xᵀ.
 */
export function gruBackward<M extends Mat>(device: Device<M>, w: GruOperands<M>, d: SequenceDims, reverse: boolean, dh: M, saved: M, g: GruGradients<M>): void {
  if (w.candidateRecurrentBias !== undefined) {
    resetAfterBackward(device, w, d, reverse, dh, saved, g);
    return;
  }
  const { batch, steps, inputSize, units } = d;
  const rows = steps * batch;
  const s = carve(device, saved, savedLayout(d));
  const [gatesX, gatesH] = splitKernel(device, w.gatesKernel, inputSize);
  const [candidateX, candidateH] = splitKernel(device, w.candidateKernel, inputSize);
  const gatesHT = transposed(device, gatesH);
  const candidateHT = transposed(device, candidateH);
  const dGates = device.scratch(rows, 2 * units);
  const dCandidate = device.scratch(rows, units);
  const carry = device.scratch(batch, units);
  const dResetState = device.scratch(batch, units);
  const dhStep = device.scratch(batch, units);
  const loops = device.gruLoops ?? GRU_LOOPS;
  const order = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = order[k]!;
    const first = k === 0;
    const hPrev = rowsOf(device, s.states, stateBlocks(t, reverse)[0] * batch, batch);
    const gates = rowsOf(device, s.gates, t * batch, batch);
    const candidate = rowsOf(device, s.candidate, t * batch, batch);
    const dGatesStep = rowsOf(device, dGates, t * batch, batch);
    const dCandidateStep = rowsOf(device, dCandidate, t * batch, batch);
    const later = k === steps - 1 ? null : { carry, dResetState, gates: rowsOf(device, s.gates, order[k + 1]! * batch, batch) };
    loops.stepGradient(dh, t, steps, later, gates, candidate, dhStep, dCandidateStep);
    if (!first) device.matmul(dCandidateStep, candidateHT, dResetState);
    loops.gateGradients(dhStep, first ? null : dResetState, hPrev, gates, candidate, dGatesStep);
    if (!first) device.matmul(dGatesStep, gatesHT, carry);
  }

  const { xT, hPrevT } = transposedInputs(device, w.x, s.states, d, reverse);
  kernelGradient(device, xT, hPrevT, dGates, g.dGatesKernel, g.dGatesBias);
  kernelGradient(device, xT, transposed(device, s.resetState), dCandidate, g.dCandidateKernel, g.dCandidateBias);
  inputGradient(device, [dGates, dCandidate], [gatesX, candidateX], g.dx, batch, steps);
}

/**
 * dh_t = dy[b, t] + dh_prev of the later step (its GEMM part in `carry`, plus
 * drh ⊙ r + dh ⊙ u, dhStep holding its dh on entry); then
 * da_c = dh_t ⊙ (1−u)(1−c²).
 */
function stepGradient(dy: Mat, t: number, steps: number, later: LaterStep<Mat> | null, gates: Mat, candidate: Mat, dhStep: Mat, dCandidate: Mat): void {
  const { rows, cols: units } = dhStep;
  const y = dy.data;
  const g = gates.data;
  const c = candidate.data;
  const dh = dhStep.data;
  const dc = dCandidate.data;
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const src = dy.start + (b * steps + t) * units;
    const u = gates.start + b * 2 * units + units;
    const cRow = candidate.start + row;
    const dhRow = dhStep.start + row;
    const dcRow = dCandidate.start + row;
    if (later === null) {
      for (let j = 0; j < units; j++) dh[dhRow + j] = y[src + j]!;
    } else {
      const carry = later.carry.data;
      const drh = later.dResetState.data;
      const lg = later.gates.data;
      const carryRow = later.carry.start + row;
      const drhRow = later.dResetState.start + row;
      const r = later.gates.start + b * 2 * units;
      for (let j = 0; j < units; j++) {
        dh[dhRow + j] = y[src + j]! + carry[carryRow + j]! + drh[drhRow + j]! * lg[r + j]! + dh[dhRow + j]! * lg[r + units + j]!;
      }
    }
    for (let j = 0; j < units; j++) {
      const uj = g[u + j]!;
      const cj = c[cRow + j]!;
      dc[dcRow + j] = dh[dhRow + j]! * (1 - uj) * (1 - cj * cj);
    }
  }
}

/** [da_r | da_u] for one step; da_r is zero on the first step (h_prev = 0). */
function gateGradients(dhStep: Mat, dResetState: Mat | null, hPrev: Mat, gates: Mat, candidate: Mat, dGates: Mat): void {
  const { rows, cols: units } = dhStep;
  const dh = dhStep.data;
  const hp = hPrev.data;
  const g = gates.data;
  const c = candidate.data;
  const out = dGates.data;
  const drh = dResetState?.data;
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const r = gates.start + b * 2 * units;
    const o = dGates.start + b * 2 * units;
    const dhRow = dhStep.start + row;
    const hpRow = hPrev.start + row;
    const cRow = candidate.start + row;
    const drhRow = dResetState === null ? 0 : dResetState.start + row;
    for (let j = 0; j < units; j++) {
      const h = hp[hpRow + j]!;
      const rj = g[r + j]!;
      const uj = g[r + units + j]!;
      out[o + j] = drh === undefined ? 0 : drh[drhRow + j]! * h * rj * (1 - rj);
      out[o + units + j] = dh[dhRow + j]! * (h - c[cRow + j]!) * uj * (1 - uj);
    }
  }
}

/**
 * The reset_after forward pass. Per step: the gates as in TF1's form; then
 * hc = h_prev @ W_ch + b_ch (kept), the candidate's doubled pre-activation
 * 2(x @ W_cx + b_c) + 2 r ⊙ hc, its sigmoid, and the state update that
 * finishes tanh (the same loop as TF1's form).
 */
function resetAfterForward<M extends Mat>(device: Device<M>, w: GruOperands<M>, recurrentBias: M, d: SequenceDims, reverse: boolean, h: M, saved: M): void {
  const { batch, steps, inputSize, units } = d;
  const s = carve(device, saved, savedLayout(d));
  const doubled = new Float32Array(units).fill(2);
  const [gatesX, gatesH] = splitKernel(device, w.gatesKernel, inputSize);
  const [candidateX, candidateH] = splitKernel(device, w.candidateKernel, inputSize);
  const x = timeMajor(device, w.x, batch, steps);
  const xGates = device.scratch(steps * batch, 2 * units);
  const xCandidate = device.scratch(steps * batch, units);
  device.matmul(x, gatesX, xGates, w.gatesBias);
  device.matmul(x, columnAffineCopy(device, candidateX, doubled), xCandidate, columnAffineCopy(device, w.candidateBias, doubled));
  const order = timeOrder(steps, reverse);
  const initial = rowsOf(device, s.states, initialBlock(steps, reverse) * batch, batch);
  initial.data.fill(0, initial.start, initial.start + batch * units);
  for (let k = 0; k < steps; k++) {
    const t = order[k]!;
    const [prev, next] = stateBlocks(t, reverse);
    const hPrev = rowsOf(device, s.states, prev * batch, batch);
    const gates = rowsOf(device, s.gates, t * batch, batch);
    const candidate = rowsOf(device, s.candidate, t * batch, batch);
    const recurrent = rowsOf(device, s.resetState, t * batch, batch);
    activateStep(device, rowsOf(device, xGates, t * batch, batch), hPrev, gatesH, gates, k === 0);
    device.matmul(hPrev, candidateH, recurrent, recurrentBias);
    resetAfterCandidate(gates, rowsOf(device, xCandidate, t * batch, batch), recurrent, candidate);
    device.sigmoid(candidate, candidate);
    updateState(gates, candidate, hPrev, rowsOf(device, s.states, next * batch, batch), h, t, steps);
  }
}

/** The candidate's doubled pre-activation: xc (already doubled) + 2 r ⊙ hc. */
function resetAfterCandidate(gates: Mat, xCandidate: Mat, recurrent: Mat, candidate: Mat): void {
  const { rows, cols: units } = candidate;
  const g = gates.data;
  const xc = xCandidate.data;
  const hc = recurrent.data;
  const out = candidate.data;
  for (let b = 0; b < rows; b++) {
    const r = gates.start + b * 2 * units;
    const row = b * units;
    for (let j = 0; j < units; j++) out[candidate.start + row + j] = xc[xCandidate.start + row + j]! + 2 * g[r + j]! * hc[recurrent.start + row + j]!;
  }
}

/**
 * reset_after BPTT. With dh the gradient reaching a step's output:
 *   da_c = dh ⊙ (1−u)(1−c²)
 *   dhc  = da_c ⊙ r                       (the gradient of hc = h_prev @ W_ch + b_ch)
 *   da_r = da_c ⊙ hc ⊙ r(1−r)
 *   da_u = dh ⊙ (h_prev − c) ⊙ u(1−u)
 *   dh_prev = dh ⊙ u + dhc @ W_chᵀ + [da_r | da_u] @ W_ghᵀ
 * then dW_g = [x | h_prev]ᵀ @ [da_r | da_u], dW_cx = xᵀ @ da_c,
 * dW_ch = h_prevᵀ @ dhc, the biases' the column sums, dx as in TF1's form.
 */
function resetAfterBackward<M extends Mat>(device: Device<M>, w: GruOperands<M>, d: SequenceDims, reverse: boolean, dy: M, saved: M, g: GruGradients<M>): void {
  const { batch, steps, inputSize, units } = d;
  const rows = steps * batch;
  const s = carve(device, saved, savedLayout(d));
  const [gatesX, gatesH] = splitKernel(device, w.gatesKernel, inputSize);
  const [candidateX, candidateH] = splitKernel(device, w.candidateKernel, inputSize);
  const gatesHT = transposed(device, gatesH);
  const candidateHT = transposed(device, candidateH);
  const dGates = device.scratch(rows, 2 * units);
  const dCandidate = device.scratch(rows, units);
  const dRecurrent = device.scratch(rows, units);
  const carry = device.scratch(batch, units);
  const product = device.scratch(batch, units);
  const dhStep = device.scratch(batch, units);
  const order = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = order[k]!;
    const at = (m: M): M => rowsOf(device, m, t * batch, batch);
    const later = k === steps - 1 ? null : { carry, gates: rowsOf(device, s.gates, order[k + 1]! * batch, batch) };
    const hPrev = rowsOf(device, s.states, stateBlocks(t, reverse)[0] * batch, batch);
    resetAfterStepGradient(dy, t, steps, later, { gates: at(s.gates), candidate: at(s.candidate), recurrent: at(s.resetState), hPrev }, dhStep, at(dGates), at(dCandidate), at(dRecurrent));
    // The gradient w.r.t. the zero initial state is not needed.
    if (k > 0) {
      device.matmul(at(dGates), gatesHT, carry);
      device.matmul(at(dRecurrent), candidateHT, product);
      device.add(carry, product, carry);
    }
  }

  const { xT, hPrevT } = transposedInputs(device, w.x, s.states, d, reverse);
  kernelGradient(device, xT, hPrevT, dGates, g.dGatesKernel, g.dGatesBias);
  const [dCandidateX, dCandidateH] = splitKernel(device, g.dCandidateKernel, inputSize);
  device.matmul(xT, dCandidate, dCandidateX);
  device.matmul(hPrevT, dRecurrent, dCandidateH);
  const ones = onesRow(device, rows);
  device.matmul(ones, dCandidate, g.dCandidateBias);
  device.matmul(ones, dRecurrent, g.dCandidateRecurrentBias!);
  inputGradient(device, [dGates, dCandidate], [gatesX, candidateX], g.dx, batch, steps);
}

/** One reset_after step's saved activations. */
interface ResetAfterStep {
  readonly gates: Mat;
  readonly candidate: Mat;
  readonly recurrent: Mat;
  readonly hPrev: Mat;
}

/**
 * dh_t = dy[b, t] + (the later step's dh_prev: its GEMM part in `carry`, plus
 * dh ⊙ u, dhStep holding its dh on entry); then da_c, dhc and [da_r | da_u].
 */
function resetAfterStepGradient(
  dy: Mat,
  t: number,
  steps: number,
  later: { readonly carry: Mat; readonly gates: Mat } | null,
  step: ResetAfterStep,
  dhStep: Mat,
  dGates: Mat,
  dCandidate: Mat,
  dRecurrent: Mat,
): void {
  const { rows, cols: units } = dhStep;
  const { gates, candidate, recurrent, hPrev } = step;
  const [y, g, c, hc, hp, dh] = [dy.data, gates.data, candidate.data, recurrent.data, hPrev.data, dhStep.data];
  const [dg, dc, dr] = [dGates.data, dCandidate.data, dRecurrent.data];
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const src = dy.start + (b * steps + t) * units;
    const gRow = gates.start + b * 2 * units;
    const dgRow = dGates.start + b * 2 * units;
    const dhRow = dhStep.start + row;
    for (let j = 0; j < units; j++) {
      let dhj = y[src + j]!;
      if (later !== null) dhj += later.carry.data[later.carry.start + row + j]! + dh[dhRow + j]! * later.gates.data[later.gates.start + b * 2 * units + units + j]!;
      dh[dhRow + j] = dhj;
      const rj = g[gRow + j]!;
      const uj = g[gRow + units + j]!;
      const cj = c[candidate.start + row + j]!;
      const dac = dhj * (1 - uj) * (1 - cj * cj);
      dc[dCandidate.start + row + j] = dac;
      dr[dRecurrent.start + row + j] = dac * rj;
      dg[dgRow + j] = dac * hc[recurrent.start + row + j]! * rj * (1 - rj);
      dg[dgRow + units + j] = dhj * (hp[hPrev.start + row + j]! - cj) * uj * (1 - uj);
    }
  }
}

export const GRU_LOOPS: GruLoops = { resetProduct, updateState, stepGradient, gateGradients };

/** The operands of a GraphcGruSequence(Grad) call, checked against each other. */
function gruOperands<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap): { w: GruOperands<M>; d: SequenceDims } {
  const { x, d } = sequenceInput(device, inputs, 'candidateBias');
  const { inputSize: i, units: h } = d;
  const w: GruOperands<M> = {
    x,
    gatesKernel: device.input(tensor(inputs, 'gatesKernel', [i + h, 2 * h]), i + h, 2 * h),
    gatesBias: device.input(tensor(inputs, 'gatesBias', [2 * h]), 1, 2 * h),
    candidateKernel: device.input(tensor(inputs, 'candidateKernel', [i + h, h]), i + h, h),
    candidateBias: device.input(tensor(inputs, 'candidateBias', [h]), 1, h),
  };
  if (inputs['candidateRecurrentBias'] === undefined) return { w, d };
  return { w: { ...w, candidateRecurrentBias: device.input(tensor(inputs, 'candidateRecurrentBias', [h]), 1, h) }, d };
}

/** GraphcGruSequence on a device: outputs [h, saved]. */
export function gruSequenceKernel<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo[] {
  return runKernel(device, () => {
    const { w, d } = gruOperands(device, inputs);
    const { infos, h, saved } = forwardOutputs(device, d, gruSavedSize(d));
    gruForward(device, w, d, reverseAttr(attrs), h, saved);
    return infos;
  });
}

/** GraphcGruSequenceGrad on a device: outputs [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias] (+ dCandidateRecurrentBias, reset_after). */
export function gruSequenceGradKernel<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo[] {
  return runKernel(device, () => {
    const { w, d } = gruOperands(device, inputs);
    const [i, h] = [d.inputSize, d.units];
    const resetAfter = w.candidateRecurrentBias !== undefined;
    const shapes = [[i + h, 2 * h], [2 * h], [i + h, h], [h], ...(resetAfter ? [[h]] : [])];
    const { dh, saved, infos, dx, dWeights } = gradientOperands(device, inputs, d, gruSavedSize(d), shapes);
    const [dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias, dCandidateRecurrentBias] = dWeights as [M, M, M, M, M | undefined];
    gruBackward(device, w, d, reverseAttr(attrs), dh, saved, { dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias, ...(dCandidateRecurrentBias && { dCandidateRecurrentBias }) });
    return infos;
  });
}
