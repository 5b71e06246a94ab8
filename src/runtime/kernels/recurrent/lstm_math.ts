/**
 * The LSTM cell over a whole sequence (TF BasicLSTMCell math, zero initial
 * state), forward and backward, for the GraphcLstmSequence kernels of every
 * backend. Gate columns are i, j, f, o:
 *   c' = c ⊙ σ(f + forget_bias) + σ(i) ⊙ tanh(j)
 *   h' = tanh(c') ⊙ σ(o)
 *
 * As in gru.ts: the input projection of all T·B rows is one GEMM, each step
 * one h @ W_h GEMM, BPTT per step only where the carried gradient needs it,
 * and the weight and input gradients single GEMMs. tanh is 2σ(2x) − 1.
 */
import type { tf } from '../../tf.js';
import { runKernel, tensor } from './kernel.js';
import type { LstmLoops } from './loops.js';
import { rowsOf, transposed, type Device, type KernelDevice, type Mat } from './matrix.js';
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

/** The kernel's inputs as matrices: x is [B·T, I] (batch-major), the bias 1 × 4H. */
export interface LstmOperands<M extends Mat> {
  readonly x: M;
  readonly kernel: M;
  readonly bias: M;
}

export interface LstmGradients<M extends Mat> {
  readonly dx: M;
  readonly dKernel: M;
  readonly dBias: M;
}

/**
 * What the forward pass keeps, time-major: the states h and the cells c (T+1
 * blocks of [B, H] each, see stateBlocks), the activated gates [σ(i) | tanh(j)
 * | σ(f + forget_bias) | σ(o)] and tanh(c').
 */
function savedLayout(d: SequenceDims): SavedLayout<'states' | 'cells' | 'gates' | 'cellTanh'> {
  const rows = d.steps * d.batch;
  return { states: [rows + d.batch, d.units], cells: [rows + d.batch, d.units], gates: [rows, 4 * d.units], cellTanh: [rows, d.units] };
}

export function lstmSavedSize(d: SequenceDims): number {
  return layoutSize(savedLayout(d));
}

/** Runs the cell; writes the outputs h [B·T, H] (batch-major) and `saved` (lstmSavedSize elements). */
export function lstmForward<M extends Mat>(device: Device<M>, w: LstmOperands<M>, d: SequenceDims, reverse: boolean, forgetBias: number, h: M, saved: M): void {
  const { batch, steps, inputSize, units } = d;
  const s = carve(device, saved, savedLayout(d));
  // One sigmoid serves all four gates: j doubled (tanh(j) = 2σ(2j) − 1), forget_bias added to f.
  const quarter = (i: number, j: number, f: number, o: number): Float32Array =>
    Float32Array.from({ length: 4 * units }, (_, c) => [i, j, f, o][Math.floor(c / units)]!);
  const scale = quarter(1, 2, 1, 1);
  const [kernelX, kernelH] = splitKernel(device, columnAffineCopy(device, w.kernel, scale), inputSize);
  const projection = device.scratch(steps * batch, 4 * units);
  device.matmul(timeMajor(device, w.x, batch, steps), kernelX, projection, columnAffineCopy(device, w.bias, scale, quarter(0, 0, forgetBias, 0)));
  const loops = device.lstmLoops ?? LSTM_LOOPS;
  const order = timeOrder(steps, reverse);
  for (const m of [s.states, s.cells]) {
    const initial = rowsOf(device, m, initialBlock(steps, reverse) * batch, batch);
    initial.data.fill(0, initial.start, initial.start + batch * units);
  }
  for (let k = 0; k < steps; k++) {
    const t = order[k]!;
    const [prev, next] = stateBlocks(t, reverse);
    const gates = rowsOf(device, s.gates, t * batch, batch);
    const cellTanh = rowsOf(device, s.cellTanh, t * batch, batch);
    activateStep(device, rowsOf(device, projection, t * batch, batch), rowsOf(device, s.states, prev * batch, batch), kernelH, gates, k === 0);
    loops.updateCell(gates, rowsOf(device, s.cells, prev * batch, batch), rowsOf(device, s.cells, next * batch, batch), cellTanh);
    device.sigmoid(cellTanh, cellTanh);
    loops.updateState(gates, cellTanh, rowsOf(device, s.states, next * batch, batch), h, t, steps);
  }
}

/** tanh(j) = 2σ − 1 in place; c' = c ⊙ σf + σi ⊙ tanh(j); and 2c' into cellTanh (for tanh(c') through the sigmoid). */
function updateCell(gates: Mat, cPrev: Mat, cNext: Mat, cellTanh: Mat): void {
  const { rows, cols: units } = cPrev;
  const g = gates.data;
  const cp = cPrev.data;
  const cn = cNext.data;
  const ct = cellTanh.data;
  for (let b = 0; b < rows; b++) {
    const i = gates.start + b * 4 * units;
    const row = b * units;
    for (let u = 0; u < units; u++) {
      const tanhJ = 2 * g[i + units + u]! - 1;
      g[i + units + u] = tanhJ;
      const c = cp[cPrev.start + row + u]! * g[i + 2 * units + u]! + g[i + u]! * tanhJ;
      cn[cNext.start + row + u] = c;
      ct[cellTanh.start + row + u] = 2 * c;
    }
  }
}

/** tanh(c') = 2σ − 1 in place; h' = tanh(c') ⊙ σo, to the next state block and to output row b·T + t. */
function updateState(gates: Mat, cellTanh: Mat, hNext: Mat, out: Mat, t: number, steps: number): void {
  const { rows, cols: units } = hNext;
  const g = gates.data;
  const ct = cellTanh.data;
  const hn = hNext.data;
  const o = out.data;
  for (let b = 0; b < rows; b++) {
    const gateO = gates.start + b * 4 * units + 3 * units;
    const row = b * units;
    const dst = out.start + (b * steps + t) * units;
    for (let u = 0; u < units; u++) {
      const tc = 2 * ct[cellTanh.start + row + u]! - 1;
      ct[cellTanh.start + row + u] = tc;
      const h = tc * g[gateO + u]!;
      hn[hNext.start + row + u] = h;
      o[dst + u] = h;
    }
  }
}

/**
 * BPTT. With dh and dc the gradients reaching a step's output and cell (from
 * dy and the next step):
 *   dc  += dh ⊙ σo ⊙ (1 − tanh²c')
 *   da_o = dh ⊙ tanh c' ⊙ σo(1−σo)        da_i = dc ⊙ tanh j ⊙ σi(1−σi)
 *   da_j = dc ⊙ σi ⊙ (1 − tanh²j)          da_f = dc ⊙ c ⊙ σf(1−σf)
 *   dc_prev = dc ⊙ σf                       dh_prev = da @ W_hᵀ
 * then dW = [x | h_prev]ᵀ @ da over all rows, db = Σ da, dx = da @ W_xᵀ.
 */
export function lstmBackward<M extends Mat>(device: Device<M>, w: LstmOperands<M>, d: SequenceDims, reverse: boolean, dh: M, saved: M, g: LstmGradients<M>): void {
  const { batch, steps, inputSize, units } = d;
  const s = carve(device, saved, savedLayout(d));
  const [kernelX, kernelH] = splitKernel(device, w.kernel, inputSize);
  const kernelHT = transposed(device, kernelH);
  const dGates = device.scratch(steps * batch, 4 * units);
  const dhCarry = device.scratch(batch, units);
  const dcCarry = device.scratch(batch, units);
  const loops = device.lstmLoops ?? LSTM_LOOPS;
  const order = timeOrder(steps, reverse);
  for (let k = steps - 1; k >= 0; k--) {
    const t = order[k]!;
    const dGatesStep = rowsOf(device, dGates, t * batch, batch);
    const cPrev = rowsOf(device, s.cells, stateBlocks(t, reverse)[0] * batch, batch);
    loops.stepGradient(dh, t, steps, k === steps - 1, rowsOf(device, s.gates, t * batch, batch), rowsOf(device, s.cellTanh, t * batch, batch), cPrev, dhCarry, dcCarry, dGatesStep);
    if (k > 0) device.matmul(dGatesStep, kernelHT, dhCarry);
  }
  const { xT, hPrevT } = transposedInputs(device, w.x, s.states, d, reverse);
  kernelGradient(device, xT, hPrevT, dGates, g.dKernel, g.dBias);
  inputGradient(device, [dGates], [kernelX], g.dx, batch, steps);
}

/** One step's gate gradients into dGates, and the cell gradient it carries back (dcCarry, updated in place). */
function stepGradient(dy: Mat, t: number, steps: number, last: boolean, gates: Mat, cellTanh: Mat, cPrev: Mat, dhCarry: Mat, dcCarry: Mat, dGates: Mat): void {
  const { rows, cols: units } = cPrev;
  const y = dy.data;
  const g = gates.data;
  const ct = cellTanh.data;
  const cp = cPrev.data;
  const dhc = dhCarry.data;
  const dcc = dcCarry.data;
  const out = dGates.data;
  for (let b = 0; b < rows; b++) {
    const row = b * units;
    const src = dy.start + (b * steps + t) * units;
    const gi = gates.start + b * 4 * units;
    const di = dGates.start + b * 4 * units;
    for (let u = 0; u < units; u++) {
      const dh = last ? y[src + u]! : y[src + u]! + dhc[dhCarry.start + row + u]!;
      const si = g[gi + u]!;
      const tj = g[gi + units + u]!;
      const sf = g[gi + 2 * units + u]!;
      const so = g[gi + 3 * units + u]!;
      const tc = ct[cellTanh.start + row + u]!;
      const dc = (last ? 0 : dcc[dcCarry.start + row + u]!) + dh * so * (1 - tc * tc);
      out[di + u] = dc * tj * si * (1 - si);
      out[di + units + u] = dc * si * (1 - tj * tj);
      out[di + 2 * units + u] = dc * cp[cPrev.start + row + u]! * sf * (1 - sf);
      out[di + 3 * units + u] = dh * tc * so * (1 - so);
      dcc[dcCarry.start + row + u] = dc * sf;
    }
  }
}

export const LSTM_LOOPS: LstmLoops = { updateCell, updateState, stepGradient };

/** The operands of a GraphcLstmSequence(Grad) call, checked against each other. */
function lstmOperands<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap): { w: LstmOperands<M>; d: SequenceDims } {
  const { x, d } = sequenceInput(device, inputs, 'bias', 4);
  const { inputSize: i, units: h } = d;
  if (!Number.isInteger(h) || h < 1) throw new Error(`bias must be [4·units], got [${tensor(inputs, 'bias').shape.join(', ')}]`);
  return { w: { x, kernel: device.input(tensor(inputs, 'kernel', [i + h, 4 * h]), i + h, 4 * h), bias: device.input(tensor(inputs, 'bias', [4 * h]), 1, 4 * h) }, d };
}

function forgetBiasAttr(attrs: tf.NamedAttrMap | undefined): number {
  const forgetBias = attrs?.['forgetBias'] ?? 0;
  if (typeof forgetBias !== 'number') throw new Error(`forgetBias must be a number, got ${String(forgetBias)}`);
  return forgetBias;
}

/** GraphcLstmSequence on a device: outputs [h, saved]. */
export function lstmSequenceKernel<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo[] {
  return runKernel(device, () => {
    const { w, d } = lstmOperands(device, inputs);
    const { infos, h, saved } = forwardOutputs(device, d, lstmSavedSize(d));
    lstmForward(device, w, d, reverseAttr(attrs), forgetBiasAttr(attrs), h, saved);
    return infos;
  });
}

/** GraphcLstmSequenceGrad on a device: outputs [dx, dKernel, dBias]. */
export function lstmSequenceGradKernel<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): tf.TensorInfo[] {
  return runKernel(device, () => {
    const { w, d } = lstmOperands(device, inputs);
    const { dh, saved, infos, dx, dWeights } = gradientOperands(device, inputs, d, lstmSavedSize(d), [[d.inputSize + d.units, 4 * d.units], [4 * d.units]]);
    const [dKernel, dBias] = dWeights as [M, M];
    lstmBackward(device, w, d, reverseAttr(attrs), dh, saved, { dx, dKernel, dBias });
    return infos;
  });
}
