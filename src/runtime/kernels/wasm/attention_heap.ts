/**
 * What the wasm attention kernels (attention.ts, attention_grad.ts) share:
 * strided matrices of the heap, their products through graphc's FMA GEMM
 * (a JavaScript loop where the GEMM is off), and the dropout mask of the
 * weights. Starts and strides are in float32 elements of the heap.
 */
import type { tf } from '../../tf.js';
import { fillMask, maskKeys, maskLimit } from '../dropout.js';
import type { WasmHeap } from './heap.js';
import { packedSize, type GemmLoops } from './simd/gemm.js';

/** A matrix in the heap: element (i, j) at start + i·row + j·col. */
export interface Strided {
  readonly start: number;
  readonly row: number;
  readonly col: number;
}

export const strided = (start: number, row: number, col = 1): Strided => ({ start, row, col });

/**
 * C (m × n, row stride c.row) = A (m × k) · B (k × n) for the kernels of one
 * call: B is packed into one buffer reused by every product, and an operand
 * read down its columns (a transposed one) is first transposed into a
 * row-major scratch, as the GEMM reads A by rows and packs B fastest from
 * rows. Where graphc's GEMM is off, a plain loop. free() releases the buffers.
 */
export class HeapProducts {
  private readonly gemm: GemmLoops | undefined;
  private readonly packed: tf.TensorInfo | undefined;
  private readonly transposed: tf.TensorInfo | undefined;
  private readonly transposedB: tf.TensorInfo | undefined;

  /** `maxB`: the shapes [k, n] of the B operands to come; `maxA`: the most floats a transposed A has. */
  constructor(private readonly heap: WasmHeap, maxB: ReadonlyArray<readonly [number, number]>, maxA: number) {
    this.gemm = heap.gemm;
    if (this.gemm) {
      this.packed = heap.allocate([Math.max(...maxB.map(([k, n]) => packedSize(k, n)))]);
      this.transposedB = heap.allocate([Math.max(...maxB.map(([k, n]) => k * n))]);
      this.transposed = maxA > 0 ? heap.allocate([maxA]) : undefined;
    }
  }

  multiply(a: Strided, b: Strided, c: Strided, m: number, k: number, n: number): void {
    const { heap, gemm } = this;
    if (m * k * n === 0) return;
    if (!gemm) return this.loop(a, b, c, m, k, n);
    let aStart = a.start;
    let lda = a.row;
    if (a.col !== 1) {
      // A is read by columns: transpose its k × m storage into [m, k] rows.
      aStart = heap.offsetOf(this.transposed!) >> 2;
      heap.transpose(a.start, a.col, k, m, aStart, k);
      lda = k;
    }
    let bStart = b.start;
    let ldb = b.row;
    if (b.col !== 1) {
      // B is read by columns (a transposed operand): packing would gather it element by element,
      // slower than transposing its n × k storage into [k, n] rows (vectorised) and packing those.
      bStart = heap.offsetOf(this.transposedB!) >> 2;
      heap.transpose(b.start, b.col, n, k, bStart, n);
      ldb = n;
    }
    const packed = this.packed!;
    gemm.packB(bStart * 4, ldb * 4, 4, k, n, heap.offsetOf(packed));
    heap.gemmPacked(gemm, aStart, lda, packed, false, m, k, n, c.start, c.row);
  }

  free(): void {
    if (this.packed) this.heap.free(this.packed);
    if (this.transposed) this.heap.free(this.transposed);
    if (this.transposedB) this.heap.free(this.transposedB);
  }

  private loop(a: Strided, b: Strided, c: Strided, m: number, k: number, n: number): void {
    const f = this.heap.f32;
    for (let i = 0; i < m; i++) {
      const cRow = c.start + i * c.row;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += f[a.start + i * a.row + p * a.col]! * f[b.start + p * b.row + j * b.col]!;
        f[cRow + j] = sum;
      }
    }
  }
}

/**
 * The dropout mask of `size` weights ([B, H, Tq, Tk]) in a new heap tensor
 * the caller frees: element i drawn as nn.dropout draws element first + i of
 * the composition's weights (graphc's vectorised loop, as GraphcDropoutMask).
 */
export function drawWeightMask(heap: WasmHeap, size: number, keepProb: number, seed: number, first: number): tf.TensorInfo {
  const mask = heap.allocate([size]);
  const start = heap.offsetOf(mask) >> 2;
  const quads = heap.simd ? size >> 2 : 0;
  if (quads > 0) heap.simd!.dropoutMask(start * 4, quads, ...maskKeys(seed), first, Math.ceil(maskLimit(keepProb)));
  fillMask(heap.f32, start + 4 * quads, size - 4 * quads, keepProb, seed, first + 4 * quads);
  return mask;
}

/** tfjs-wasm's softmax (XNNPACK's, vectorised), which WasmHeap does not wrap: rows of `channels` floats. */
interface SoftmaxModule {
  _Softmax(xId: number, outId: number, channels: number, batch: number): void;
}

/**
 * out = softmax of every row of `channels` floats of x (both tensors of the
 * same size) through the module's own kernel, several times faster than a
 * JavaScript loop over Math.exp.
 */
export function softmaxRows(heap: WasmHeap, x: tf.TensorInfo, out: tf.TensorInfo, channels: number, rows: number): void {
  (heap.module as unknown as SoftmaxModule)._Softmax(heap.idOf(x), heap.idOf(out), channels, rows);
}
