/**
 * The weight, bias and input gradients of a GRU sequence on webgpu, as
 * single reductions over all B·T rows of the BPTT's output dA (gemm.ts).
 * TF1's cell (gru_sequence_grad.ts) and the reset_after cell
 * (gru_reset_after.ts) share these three; only the candidate kernel's
 * gradient differs between them, and stays with each cell.
 * dA's row holds [da_r | da_u | da_c | …] (`gradientWidth` values per unit).
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { tf } from '../../tf.js';
import { columnSumsSpec, columnSumsUniforms, productSpec, productUniforms } from './gemm.js';
import { runProgram } from './program.js';
import type { SequenceDims } from './sequence.js';

export interface GruGradContext {
  readonly gpu: WebGPUBackend;
  readonly d: SequenceDims;
  /** The pipeline key prefix of this cell's gradient programs. */
  readonly key: string;
  /** The BPTT's output, [B, T, gradientWidth·H]. */
  readonly dA: tf.TensorInfo;
  readonly gradientWidth: number;
}

/** dGatesKernel = [x | h_prev]ᵀ · [da_r | da_u]; `savedWgsl` defines INPUT, GRADS and previousSaved(m, j). */
export function gatesKernelGradient(c: GruGradContext, savedWgsl: string, x: tf.TensorInfo, saved: tf.TensorInfo): tf.TensorInfo {
  const gates = { rows: c.d.inputSize + c.d.units, cols: 2 * c.d.units, inner: c.d.batch * c.d.steps };
  return runProgram(
    c.gpu,
    productSpec({
      key: `${c.key}_gates_kernel`,
      inputs: ['x', 'saved', 'dA'],
      loaders: /* wgsl */ `${savedWgsl}
fn lhs(row : i32, k : i32) -> f32 {
  if (row < INPUT) { return x[k * INPUT + row]; }
  return previousSaved(k, row - INPUT);
}
fn rhs(k : i32, col : i32) -> f32 { return dA[k * GRADS + col]; }`,
      ...gates,
      lhsContiguous: 'row',
      rhsContiguous: 'col',
    }),
    [x, saved, c.dA],
    productUniforms(gates),
  );
}

/** A bias gradient: the column sums of dA's `cols` values from `offset` on. */
export function biasGradient(c: GruGradContext, name: string, offset: number, cols: number): tf.TensorInfo {
  const inner = c.d.batch * c.d.steps;
  return runProgram(
    c.gpu,
    columnSumsSpec({
      key: `${c.key}_${name}`,
      inputs: ['dA'],
      loader: /* wgsl */ `fn term(k : i32, col : i32) -> f32 { return dA[k * ${c.gradientWidth * c.d.units} + ${offset} + col]; }`,
      cols,
      inner,
    }),
    [c.dA],
    columnSumsUniforms({ cols, inner }),
  );
}

/** dx = [da_r | da_u] · W_g,xᵀ + da_c · W_c,xᵀ, shaped [B, T, input]. */
export function inputGradient(c: GruGradContext, gatesKernel: tf.TensorInfo, candidateKernel: tf.TensorInfo): tf.TensorInfo {
  const h = c.d.units;
  const input = { rows: c.d.batch * c.d.steps, cols: c.d.inputSize, inner: 3 * h };
  return runProgram(
    c.gpu,
    productSpec({
      key: `${c.key}_input`,
      inputs: ['dA', 'gatesKernel', 'candidateKernel'],
      loaders: /* wgsl */ `
const UNITS : i32 = ${h};
fn lhs(row : i32, k : i32) -> f32 { return dA[row * ${c.gradientWidth * h} + k]; }
fn rhs(k : i32, col : i32) -> f32 {
  if (k < 2 * UNITS) { return gatesKernel[col * 2 * UNITS + k]; }
  return candidateKernel[col * UNITS + k - 2 * UNITS];
}`,
      ...input,
      lhsContiguous: 'k',
      rhsContiguous: 'k',
      outputShape: [c.d.batch, c.d.steps, c.d.inputSize],
    }),
    [c.dA, gatesKernel, candidateKernel],
    productUniforms(input),
  );
}
