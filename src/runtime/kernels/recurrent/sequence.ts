/**
 * What the whole-sequence cells (gru.ts, lstm.ts) share: the layout of their
 * operands and saved activations, the step loop's bookkeeping, and the
 * gradients that are single GEMMs over all T·B rows.
 *
 * Layouts: x and the outputs are batch-major ([B, T, ·], row b·T + t, as the
 * kernels receive and return them); everything a kernel keeps is time-major
 * (row t·B + b), so one step's rows are one contiguous block a GEMM can read.
 */
import type { tf } from '../../tf.js';
import { tensor } from './kernel.js';
import { onesRow, sequenceTransposed, transposed, type Device, type KernelDevice, type Mat } from './matrix.js';

/** The time indices in the order a (possibly reversed) cell consumes them. */
export function timeOrder(steps: number, reverse: boolean): number[] {
  const order = Array.from({ length: steps }, (_, i) => i);
  return reverse ? order.reverse() : order;
}

export interface SequenceDims {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
}

/** x [B, T, I] of a kernel call, checked, with its dims (units from the named [H]-sized input). */
export function sequenceInput<M extends Mat>(device: KernelDevice<M>, inputs: tf.NamedTensorInfoMap, unitsFrom: string, unitsDivisor = 1): { x: M; d: SequenceDims } {
  const input = tensor(inputs, 'x');
  if (input.shape.length !== 3 || input.shape[1]! < 1) throw new Error(`x must be [batch, time ≥ 1, features], got [${input.shape.join(', ')}]`);
  const [batch, steps, inputSize] = input.shape as [number, number, number];
  const units = tensor(inputs, unitsFrom).shape[0]! / unitsDivisor;
  return { x: device.input(input, batch * steps, inputSize), d: { batch, steps, inputSize, units } };
}

/** A forward kernel's outputs: h [B, T, H] and the saved activations (savedSize floats). */
export function forwardOutputs<M extends Mat>(device: KernelDevice<M>, d: SequenceDims, savedSize: number): { infos: tf.TensorInfo[]; h: M; saved: M } {
  const [hInfo, h] = device.output([d.batch, d.steps, d.units], d.batch * d.steps, d.units);
  const [savedInfo, saved] = device.output([savedSize], 1, savedSize);
  return { infos: [hInfo, savedInfo], h, saved };
}

/**
 * A gradient kernel's inputs dh and saved, and its outputs: dx, then the
 * gradient of each weight (of the given shapes, seen as [rows, last dim]).
 */
export function gradientOperands<M extends Mat>(
  device: KernelDevice<M>,
  inputs: tf.NamedTensorInfoMap,
  d: SequenceDims,
  savedSize: number,
  weightShapes: ReadonlyArray<readonly number[]>,
): { dh: M; saved: M; infos: tf.TensorInfo[]; dx: M; dWeights: M[] } {
  const { batch, steps, inputSize, units } = d;
  const dh = device.input(tensor(inputs, 'dh', [batch, steps, units]), batch * steps, units);
  const saved = device.input(tensor(inputs, 'saved', [savedSize]), 1, savedSize);
  const outputs = [[batch, steps, inputSize], ...weightShapes].map((shape) => {
    const cols = shape.at(-1)!;
    return device.output(shape, shape.reduce((a, b) => a * b, 1) / cols, cols);
  });
  return { dh, saved, infos: outputs.map(([info]) => info), dx: outputs[0]![1], dWeights: outputs.slice(1).map(([, m]) => m) };
}

/** The `reverse` attribute of a sequence kernel. */
export function reverseAttr(attrs: tf.NamedAttrMap | undefined): boolean {
  return attrs?.['reverse'] === true;
}

/** The parts of a saved-activations buffer, by name: rows × cols each, in order. */
export type SavedLayout<K extends string> = Readonly<Record<K, readonly [rows: number, cols: number]>>;

/** The buffer size a layout needs. */
export function layoutSize<K extends string>(layout: SavedLayout<K>): number {
  return Object.values<readonly [number, number]>(layout).reduce((sum, [rows, cols]) => sum + rows * cols, 0);
}

/** The layout's parts of a saved buffer, as matrices sharing its memory. */
export function carve<K extends string, M extends Mat>(device: Device<M>, saved: M, layout: SavedLayout<K>): Record<K, M> {
  let offset = 0;
  const parts = {} as Record<K, M>;
  for (const [name, [rows, cols]] of Object.entries<readonly [number, number]>(layout)) {
    parts[name as K] = device.part(saved, offset, rows, cols);
    offset += rows * cols;
  }
  return parts;
}

/** The x-rows and the h-rows of a [I+H, n] kernel. */
export function splitKernel<M extends Mat>(device: Device<M>, kernel: M, inputSize: number): [M, M] {
  const cols = kernel.cols;
  return [device.part(kernel, 0, inputSize, cols), device.part(kernel, inputSize * cols, kernel.rows - inputSize, cols)];
}

/**
 * Block indices, in a buffer of T+1 state blocks of [B, H], of the state step t
 * reads and the one it writes. The zero initial state is block 0 going
 * forward and block T going in reverse, so the states a sequence reads are
 * one contiguous run of T blocks either way.
 */
export function stateBlocks(t: number, reverse: boolean): [prev: number, next: number] {
  return reverse ? [t + 1, t] : [t, t + 1];
}

/** The block holding the zero initial state. */
export function initialBlock(steps: number, reverse: boolean): number {
  return reverse ? steps : 0;
}

/** x [B·T, I] (batch-major) as time-major rows t·B + b, so that one step's inputs are one block. */
export function timeMajor<M extends Mat>(device: Device<M>, x: M, batch: number, steps: number): M {
  const out = device.scratch(batch * steps, x.cols);
  reorderRows(x, out, batch, steps, true);
  return out;
}

/** Copies a [B·T, n] sequence from batch-major rows (b·T + t) to time-major ones (t·B + b), or back. */
function reorderRows(from: Mat, to: Mat, batch: number, steps: number, toTimeMajor: boolean): void {
  const cols = from.cols;
  const [src, dst] = [from.data, to.data];
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) {
      const [batchRow, timeRow] = [b * steps + t, t * batch + b];
      const at = from.start + (toTimeMajor ? batchRow : timeRow) * cols;
      const target = to.start + (toTimeMajor ? timeRow : batchRow) * cols;
      // Within one array (the wasm heap) copyWithin spares a subarray object per row.
      if (src === dst) dst.copyWithin(target, at, at + cols);
      else dst.set(src.subarray(at, at + cols), target);
    }
  }
}

/** A copy of m with column j scaled by scale[j] and, if given, shifted by shift[j]. */
export function columnAffineCopy<M extends Mat>(device: Device<M>, m: M, scale: ArrayLike<number>, shift?: ArrayLike<number>): M {
  const { rows, cols } = m;
  const out = device.scratch(rows, cols);
  const [src, dst] = [m.data, out.data];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) dst[out.start + i * cols + j] = src[m.start + i * cols + j]! * scale[j]! + (shift ? shift[j]! : 0);
  }
  return out;
}

/**
 * out = σ(projection + (first ? 0 : h @ wH)): one step's activated gates from
 * its rows of the (time-major) input projection and the recurrent GEMM.
 */
export function activateStep<M extends Mat>(device: Device<M>, projection: M, h: M, wH: M, out: M, first: boolean): void {
  if (first) {
    device.sigmoid(projection, out);
    return;
  }
  device.matmul(h, wH, out);
  device.add(out, projection, out);
  device.sigmoid(out, out);
}

/** The transposes the weight gradients multiply by: x as [I, T·B] (time-major columns) and the states read, as [H, T·B]. */
export function transposedInputs<M extends Mat>(device: Device<M>, x: M, states: M, d: SequenceDims, reverse: boolean): { xT: M; hPrevT: M } {
  const first = reverse ? 1 : 0;
  const read = device.part(states, first * d.batch * d.units, d.steps * d.batch, d.units);
  return { xT: sequenceTransposed(device, x, d.batch, d.steps), hPrevT: transposed(device, read) };
}

/**
 * A [I+H, n] kernel's gradient, [xᵀ; hᵀ] @ dA, and its bias's, Σ_rows dA (a
 * GEMM with a row of ones, which reuses XNNPACK's packing of dA).
 */
export function kernelGradient<M extends Mat>(device: Device<M>, xT: M, hT: M, dA: M, dKernel: M, dBias: M): void {
  const [dKernelX, dKernelH] = splitKernel(device, dKernel, xT.rows);
  device.matmul(xT, dA, dKernelX);
  device.matmul(hT, dA, dKernelH);
  device.matmul(onesRow(device, dA.rows), dA, dBias);
}

/**
 * dx = Σ_k dA_k @ W_kᵀ over the gate groups, each dA_k time-major [T·B, n_k]
 * and W_k the x-rows [I, n_k]; written to dx in batch-major order.
 */
export function inputGradient<M extends Mat>(device: Device<M>, dA: readonly M[], wx: readonly M[], dx: M, batch: number, steps: number): void {
  const inputSize = dx.cols;
  const sum = device.scratch(steps * batch, inputSize);
  dA.forEach((a, k) => {
    if (k === 0) {
      device.matmul(a, transposed(device, wx[k]!), sum);
      return;
    }
    const product = device.scratch(steps * batch, inputSize);
    device.matmul(a, transposed(device, wx[k]!), product);
    device.add(sum, product, sum);
  });
  reorderRows(sum, dx, batch, steps, false);
}
