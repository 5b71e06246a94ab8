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
 */
import { timeOrder } from '../../rnn/gru.js';
import type { tf } from '../../tf.js';
import { runKernel, tensor } from './kernel.js';
import { onesRow, rowsOf, sequenceTransposed, transposed, type Device, type KernelDevice, type Mat } from './matrix.js';

export interface GruDims {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
}

/** The kernel's inputs as matrices: x is [B·T, I] (batch-major rows b·T + t), biases are 1 × n. */
export interface GruOperands<M extends Mat> {
  readonly x: M;
  readonly gatesKernel: M;
  readonly gatesBias: M;
  readonly candidateKernel: M;
  readonly candidateBias: M;
}

export interface GruGradients<M extends Mat> {
  readonly dx: M;
  readonly dGatesKernel: M;
  readonly dGatesBias: M;
  readonly dCandidateKernel: M;
  readonly dCandidateBias: M;
}

/**
 * What the forward pass keeps for the backward pass, in one float32 buffer:
 * the states h (T+1 blocks of [B, H], the zero initial state first for the
 * forward direction, last for the reverse one), the gates [r | u], the
 * candidate c and r ⊙ h_prev, each time-major.
 */
interface Saved<M extends Mat> {
  readonly states: M;
  readonly gates: M;
  readonly candidate: M;
  readonly resetState: M;
}

export function gruSavedSize(d: GruDims): number {
  return d.batch * d.units * (5 * d.steps + 1);
}

function savedParts<M extends Mat>(device: Device<M>, saved: M, d: GruDims): Saved<M> {
  const { batch: b, steps: t, units: h } = d;
  const rows = t * b;
  let offset = 0;
  const take = (r: number, c: number): M => {
    const m = device.part(saved, offset, r, c);
    offset += r * c;
    return m;
  };
  return { states: take(rows + b, h), gates: take(rows, 2 * h), candidate: take(rows, h), resetState: take(rows, h) };
}

/** The x-rows and the h-rows of a [I+H, n] kernel. */
function splitKernel<M extends Mat>(device: Device<M>, kernel: M, inputSize: number): [M, M] {
  const cols = kernel.cols;
  return [device.part(kernel, 0, inputSize, cols), device.part(kernel, inputSize * cols, kernel.rows - inputSize, cols)];
}

/** Block indices (in `states`) of the state a step reads and the one it writes. */
function stateBlocks(t: number, reverse: boolean): [prev: number, next: number] {
  return reverse ? [t + 1, t] : [t, t + 1];
}

/** Runs the cell; writes the outputs h [B·T, H] (batch-major) and `saved` (gruSavedSize elements). */
export function gruForward<M extends Mat>(device: Device<M>, w: GruOperands<M>, d: GruDims, reverse: boolean, h: M, saved: M): void {
  const { batch, steps, inputSize, units } = d;
  const s = savedParts(device, saved, d);
  const [gatesX, gatesH] = splitKernel(device, w.gatesKernel, inputSize);
  const [candidateX, candidateH] = splitKernel(device, w.candidateKernel, inputSize);
  const xGates = device.scratch(batch * steps, 2 * units);
  const xCandidate = device.scratch(batch * steps, units);
  device.matmul(w.x, gatesX, xGates, w.gatesBias);
  device.matmul(w.x, candidateX, xCandidate, w.candidateBias);
  const order = timeOrder(steps, reverse);
  const initial = rowsOf(device, s.states, stateBlocks(order[0]!, reverse)[0] * batch, batch);
  initial.data.fill(0, initial.start, initial.start + batch * units);
  for (let k = 0; k < steps; k++) {
    const t = order[k]!;
    const first = k === 0;
    const [prev, next] = stateBlocks(t, reverse);
    const hPrev = rowsOf(device, s.states, prev * batch, batch);
    const gates = rowsOf(device, s.gates, t * batch, batch);
    const candidate = rowsOf(device, s.candidate, t * batch, batch);
    const resetState = rowsOf(device, s.resetState, t * batch, batch);
    if (!first) device.matmul(hPrev, gatesH, gates);
    addStepInput(gates, xGates, t, steps, first, 1);
    device.sigmoid(gates, gates);
    resetProduct(gates, hPrev, resetState);
    if (!first) device.matmul(resetState, candidateH, candidate);
    // tanh(a) = 2σ(2a) − 1: scale the pre-activation here, finish in updateState.
    addStepInput(candidate, xCandidate, t, steps, first, 2);
    device.sigmoid(candidate, candidate);
    updateState(gates, candidate, hPrev, rowsOf(device, s.states, next * batch, batch), h, t, steps);
  }
}

/** m = scale · ((first ? 0 : m) + step t's rows of the batch-major projection p). */
function addStepInput(m: Mat, p: Mat, t: number, steps: number, first: boolean, scale: number): void {
  const { rows, cols, start } = m;
  const data = m.data;
  const pData = p.data;
  for (let b = 0; b < rows; b++) {
    const o = start + b * cols;
    const q = p.start + (b * steps + t) * cols;
    if (first) for (let j = 0; j < cols; j++) data[o + j] = scale * pData[q + j]!;
    else for (let j = 0; j < cols; j++) data[o + j] = scale * (data[o + j]! + pData[q + j]!);
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
export function gruBackward<M extends Mat>(device: Device<M>, w: GruOperands<M>, d: GruDims, reverse: boolean, dh: M, saved: M, g: GruGradients<M>): void {
  const { batch, steps, inputSize, units } = d;
  const rows = steps * batch;
  const s = savedParts(device, saved, d);
  const [gatesX, gatesH] = splitKernel(device, w.gatesKernel, inputSize);
  const [candidateX, candidateH] = splitKernel(device, w.candidateKernel, inputSize);
  const gatesHT = transposed(device, gatesH);
  const candidateHT = transposed(device, candidateH);
  const dGates = device.scratch(rows, 2 * units);
  const dCandidate = device.scratch(rows, units);
  const carry = device.scratch(batch, units);
  const dResetState = device.scratch(batch, units);
  const dhStep = device.scratch(batch, units);
  const order = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = order[k]!;
    const first = k === 0;
    const hPrev = rowsOf(device, s.states, stateBlocks(t, reverse)[0] * batch, batch);
    const gates = rowsOf(device, s.gates, t * batch, batch);
    const candidate = rowsOf(device, s.candidate, t * batch, batch);
    const dGatesStep = rowsOf(device, dGates, t * batch, batch);
    const dCandidateStep = rowsOf(device, dCandidate, t * batch, batch);
    stepGradient(dh, t, steps, k === steps - 1 ? null : carry, gates, candidate, dhStep, dCandidateStep);
    if (!first) device.matmul(dCandidateStep, candidateHT, dResetState);
    gateGradients(dhStep, first ? null : dResetState, hPrev, gates, candidate, dGatesStep);
    if (!first) {
      device.matmul(dGatesStep, gatesHT, carry);
      addDirectTerms(carry, dResetState, dhStep, gates);
    }
  }

  const xT = sequenceTransposed(device, w.x, batch, steps);
  const firstPrevBlock = reverse ? 1 : 0;
  const hPrevT = transposed(device, rowsOf(device, s.states, firstPrevBlock * batch, rows));
  const resetStateT = transposed(device, s.resetState);
  const [dGatesX, dGatesH] = splitKernel(device, g.dGatesKernel, inputSize);
  const [dCandidateX, dCandidateH] = splitKernel(device, g.dCandidateKernel, inputSize);
  device.matmul(xT, dGates, dGatesX);
  device.matmul(hPrevT, dGates, dGatesH);
  device.matmul(xT, dCandidate, dCandidateX);
  device.matmul(resetStateT, dCandidate, dCandidateH);
  // Bias gradients as GEMMs with a row of ones: XNNPACK reuses the packing of dGates and dCandidate from above.
  const ones = onesRow(device, rows);
  device.matmul(ones, dGates, g.dGatesBias);
  device.matmul(ones, dCandidate, g.dCandidateBias);
  inputGradient(device, [dGates, dCandidate], [gatesX, candidateX], g.dx, batch, steps);
}

/** dh_t = dy[b, t] + carry; da_c = dh_t ⊙ (1−u)(1−c²). */
function stepGradient(dy: Mat, t: number, steps: number, carry: Mat | null, gates: Mat, candidate: Mat, dhStep: Mat, dCandidate: Mat): void {
  const { rows, cols: units } = dhStep;
  const y = dy.data;
  const g = gates.data;
  const c = candidate.data;
  const dh = dhStep.data;
  const dc = dCandidate.data;
  const carried = carry?.data;
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const src = dy.start + (b * steps + t) * units;
    const u = gates.start + b * 2 * units + units;
    const cRow = candidate.start + row;
    const dhRow = dhStep.start + row;
    const dcRow = dCandidate.start + row;
    const carryRow = carry === null ? 0 : carry.start + row;
    for (let j = 0; j < units; j++) {
      const v = carried === undefined ? y[src + j]! : y[src + j]! + carried[carryRow + j]!;
      dh[dhRow + j] = v;
      const uj = g[u + j]!;
      const cj = c[cRow + j]!;
      dc[dcRow + j] = v * (1 - uj) * (1 - cj * cj);
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

/** carry += drh ⊙ r + dh ⊙ u (the paths to h_prev that skip the recurrent GEMM). */
function addDirectTerms(carry: Mat, dResetState: Mat, dhStep: Mat, gates: Mat): void {
  const { rows, cols: units } = carry;
  const out = carry.data;
  const drh = dResetState.data;
  const dh = dhStep.data;
  const g = gates.data;
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const r = gates.start + b * 2 * units;
    const o = carry.start + row;
    const drhRow = dResetState.start + row;
    const dhRow = dhStep.start + row;
    for (let j = 0; j < units; j++) out[o + j]! += drh[drhRow + j]! * g[r + j]! + dh[dhRow + j]! * g[r + units + j]!;
  }
}

/**
 * dx = Σ_k dA_k @ W_kᵀ over the gate groups, each dA_k time-major [T·B, n_k]
 * and W_k the x-rows [I, n_k]; written to dx in batch-major order.
 */
export function inputGradient<M extends Mat>(device: Device<M>, dA: readonly M[], wx: readonly M[], dx: M, batch: number, steps: number): void {
  const inputSize = dx.cols;
  const parts = dA.map((a, k) => {
    const product = device.scratch(a.rows, inputSize);
    device.matmul(a, transposed(device, wx[k]!), product);
    return product;
  });
  const out = dx.data;
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) {
      const dst = dx.start + (b * steps + t) * inputSize;
      const src = (t * batch + b) * inputSize;
      parts.forEach((p, k) => {
        const data = p.data;
        const from = p.start + src;
        if (k === 0) for (let i = 0; i < inputSize; i++) out[dst + i] = data[from + i]!;
        else for (let i = 0; i < inputSize; i++) out[dst + i]! += data[from + i]!;
      });
    }
  }
}

/** The operands of a GraphcGruSequence(Grad) call, checked against each other. */
function gruOperands<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap): { w: GruOperands<M>; d: GruDims } {
  const x = tensor(inputs, 'x');
  const [batch, steps, inputSize] = x.shape as [number, number, number];
  const units = tensor(inputs, 'candidateBias').shape[0]!;
  const d: GruDims = { batch, steps, inputSize, units };
  if (x.shape.length !== 3 || steps < 1) throw new Error(`GraphcGruSequence: x must be [batch, time ≥ 1, features], got [${x.shape.join(', ')}]`);
  const w: GruOperands<M> = {
    x: device.input(x, batch * steps, inputSize),
    gatesKernel: device.input(tensor(inputs, 'gatesKernel', [inputSize + units, 2 * units]), inputSize + units, 2 * units),
    gatesBias: device.input(tensor(inputs, 'gatesBias', [2 * units]), 1, 2 * units),
    candidateKernel: device.input(tensor(inputs, 'candidateKernel', [inputSize + units, units]), inputSize + units, units),
    candidateBias: device.input(tensor(inputs, 'candidateBias', [units]), 1, units),
  };
  return { w, d };
}

/** GraphcGruSequence on a device: outputs [h, saved]. */
export function gruSequenceKernel<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo[] {
  return runKernel(device, () => {
    const { w, d } = gruOperands(device, inputs);
    const [hInfo, h] = device.output([d.batch, d.steps, d.units], d.batch * d.steps, d.units);
    const [savedInfo, saved] = device.output([gruSavedSize(d)], 1, gruSavedSize(d));
    gruForward(device, w, d, attrs?.['reverse'] === true, h, saved);
    return [hInfo, savedInfo];
  });
}

/** GraphcGruSequenceGrad on a device: outputs [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias]. */
export function gruSequenceGradKernel<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo[] {
  return runKernel(device, () => {
    const { w, d } = gruOperands(device, inputs);
    const { batch, steps, inputSize, units } = d;
    const dh = device.input(tensor(inputs, 'dh', [batch, steps, units]), batch * steps, units);
    const saved = device.input(tensor(inputs, 'saved', [gruSavedSize(d)]), 1, gruSavedSize(d));
    const outputs = [
      device.output([batch, steps, inputSize], batch * steps, inputSize),
      device.output([inputSize + units, 2 * units], inputSize + units, 2 * units),
      device.output([2 * units], 1, 2 * units),
      device.output([inputSize + units, units], inputSize + units, units),
      device.output([units], 1, units),
    ] as const;
    const [dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias] = outputs.map(([, m]) => m) as [M, M, M, M, M];
    gruBackward(device, w, d, attrs?.['reverse'] === true, dh, saved, { dx, dGatesKernel, dGatesBias, dCandidateKernel, dCandidateBias });
    return outputs.map(([info]) => info);
  });
}
