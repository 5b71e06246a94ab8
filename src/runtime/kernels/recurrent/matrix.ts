import type { tf } from '../../tf.js';
import type { GruLoops, LstmLoops } from './loops.js';
import type { Mat } from './mat.js';

export type { Mat } from './mat.js';

/**
 * What the whole-sequence recurrent kernels compute on: row-major float32
 * matrices in a backend's memory, and the few operations a backend supplies
 * (GEMM, sigmoid, scratch memory). The cell math in gru_math.ts and lstm_math.ts is
 * written once against this and runs on every backend that implements it.
 */

export interface Device<M extends Mat = Mat> {
  /** A scratch matrix (contents undefined), valid until the kernel returns. */
  scratch(rows: number, cols: number): M;
  /** `rows × cols` elements of `m` from element `offset` on, as a matrix sharing m's memory. */
  part(m: M, offset: number, rows: number, cols: number): M;
  /** out = a @ b (+ bias, one value per column); out must not overlap a or b. */
  matmul(a: M, b: M, out: M, bias?: M): void;
  /** out = σ(x) elementwise; out may be x. */
  sigmoid(x: M, out: M): void;
  /** out = a + b elementwise (same sizes); out may be a. */
  add(a: M, b: M, out: M): void;
  /** The GRU's per-step elementwise loops, where the device has faster ones than gru_math.ts's. */
  readonly gruLoops?: GruLoops;
  /** The LSTM's, likewise. */
  readonly lstmLoops?: LstmLoops;
  /** transposeBlock (below) within the device's own memory, where it has a faster one. */
  readonly transposeBlock?: typeof transposeBlock;
}

/** A Device bound to one kernel call: it wraps the call's tensors and owns its scratch memory. */
export interface KernelDevice<M extends Mat = Mat> extends Device<M> {
  /** A float32 input tensor seen as a rows × cols matrix. */
  input(t: tf.TensorInfo, rows: number, cols: number): M;
  /** A new float32 output tensor of `shape`, and the same memory as a rows × cols matrix. */
  output(shape: readonly number[], rows: number, cols: number): [tf.TensorInfo, M];
  /** Frees the scratch memory (and, after a failure, the outputs); called once as the kernel returns. */
  release(failed: boolean): void;
}

/** Rows [first, first + count) of m. */
export function rowsOf<M extends Mat>(device: Device<M>, m: M, first: number, count: number): M {
  return device.part(m, first * m.cols, count, m.cols);
}

/**
 * Writes the transpose of a strided rows × cols block into another:
 * dst[dstStart + j·dstStride + i] = src[srcStart + i·srcStride + j]. Tiled so
 * both sides stay in cache (a plain double loop is several times slower on
 * the big activation matrices).
 */
export function transposeBlock(
  src: Float32Array,
  srcStart: number,
  srcStride: number,
  rows: number,
  cols: number,
  dst: Float32Array,
  dstStart: number,
  dstStride: number,
): void {
  const TILE = 32;
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const s = srcStart + i * srcStride;
        let d = dstStart + j0 * dstStride + i;
        for (let j = j0; j < j1; j++, d += dstStride) dst[d] = src[s + j]!;
      }
    }
  }
}

/** The transpose of m in a scratch matrix. */
export function transposed<M extends Mat>(device: Device<M>, m: M): M {
  const out = device.scratch(m.cols, m.rows);
  (device.transposeBlock ?? transposeBlock)(m.data, m.start, m.cols, m.rows, m.cols, out.data, out.start, m.rows);
  return out;
}

/**
 * A batch-major sequence [B, T, F] transposed to [F, T·B] with time-major
 * columns (column t·B + b holds x[b, t, :]), the layout of the kernels'
 * time-major activation rows.
 */
export function sequenceTransposed<M extends Mat>(device: Device<M>, x: M, batch: number, steps: number): M {
  const features = x.cols;
  const out = device.scratch(features, steps * batch);
  const data = x.data;
  const outData = out.data;
  const transpose = device.transposeBlock ?? transposeBlock;
  for (let t = 0; t < steps; t++) {
    transpose(data, x.start + t * features, steps * features, batch, features, outData, out.start + t * batch, steps * batch);
  }
  return out;
}

/** A 1 × n matrix of ones: ones @ m sums m's rows (a column sum as a GEMM). */
export function onesRow<M extends Mat>(device: Device<M>, n: number): M {
  const ones = device.scratch(1, n);
  ones.data.fill(1, ones.start, ones.start + n);
  return ones;
}
