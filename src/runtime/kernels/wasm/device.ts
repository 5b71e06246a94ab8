/**
 * The recurrent kernels' Device on the wasm backend: matrices are ranges of
 * the wasm heap, GEMMs run in graphc's relaxed-SIMD GEMM (simd/gemm.ts; the
 * module's XNNPACK one where that is off), sigmoids in the module's, and
 * the elementwise math between them on the heap itself (graphc's vectorised
 * loops where the rows fit them; JavaScript otherwise).
 */
import type { tf } from '../../tf.js';
import type { KernelDevice, Mat } from '../recurrent/matrix.js';
import type { GruLoops, LstmLoops } from '../recurrent/loops.js';
import { WasmHeap } from './heap.js';
import { simdGruLoops } from './simd/gru_loops.js';
import { simdLstmLoops } from './simd/lstm_loops.js';

class WasmMat implements Mat {
  /** The C++ id the module's kernels know this range by, once it has one. */
  id = 0;

  constructor(
    private readonly heap: WasmHeap,
    readonly start: number,
    readonly rows: number,
    readonly cols: number,
  ) {}

  get data(): Float32Array {
    return this.heap.f32;
  }
}

export class WasmDevice implements KernelDevice<WasmMat> {
  readonly gruLoops: GruLoops | undefined;
  readonly lstmLoops: LstmLoops | undefined;
  private readonly heap: WasmHeap;
  private readonly temporaries: tf.TensorInfo[] = [];
  private readonly scratches: tf.TensorInfo[] = [];
  private readonly outputs: tf.TensorInfo[] = [];
  /**
   * B matrices packed for graphc's GEMM, by matrix: the per-step products
   * multiply by the same weights at every step (as XNNPACK caches its packing
   * by tensor id). Freed with the scratch memory.
   */
  private readonly packed = new Map<WasmMat, tf.TensorInfo>();

  constructor(backend: unknown) {
    this.heap = WasmHeap.of(backend);
    this.gruLoops = this.heap.simd && simdGruLoops(this.heap.simd);
    this.lstmLoops = this.heap.simd && simdLstmLoops(this.heap.simd);
  }

  /** Every matrix of this device lives in the heap, so src and dst are both heap.f32 (a property: callers pass it around unbound). */
  readonly transposeBlock = (_src: Float32Array, srcStart: number, srcStride: number, rows: number, cols: number, _dst: Float32Array, dstStart: number, dstStride: number): void =>
    this.heap.transpose(srcStart, srcStride, rows, cols, dstStart, dstStride);

  input(t: tf.TensorInfo, rows: number, cols: number): WasmMat {
    return this.wrap(t, rows, cols);
  }

  output(shape: readonly number[], rows: number, cols: number): [tf.TensorInfo, WasmMat] {
    const t = this.heap.allocate(shape);
    this.outputs.push(t);
    return [t, this.wrap(t, rows, cols)];
  }

  scratch(rows: number, cols: number): WasmMat {
    const t = this.heap.allocate([rows * cols]);
    this.scratches.push(t);
    return this.wrap(t, rows, cols);
  }

  part(m: WasmMat, offset: number, rows: number, cols: number): WasmMat {
    return new WasmMat(this.heap, m.start + offset, rows, cols);
  }

  matmul(a: WasmMat, b: WasmMat, out: WasmMat, bias?: WasmMat): void {
    const [m, k, n] = [a.rows, a.cols, b.cols];
    const gemm = this.heap.gemm;
    if (gemm && m * k * n > 0) {
      let packed = bias ? undefined : this.packed.get(b);
      if (packed === undefined) {
        packed = this.heap.packB(gemm, b.start, n, 1, k, n, bias?.start);
        this.scratches.push(packed);
        if (!bias) this.packed.set(b, packed);
      }
      this.heap.gemmPacked(gemm, a.start, k, packed, bias !== undefined, m, k, n, out.start, n);
      return;
    }
    this.heap.matmul(this.idOf(a), this.idOf(b), this.idOf(out), a.rows, a.cols, b.cols, bias ? this.idOf(bias) : 0);
  }

  sigmoid(x: WasmMat, out: WasmMat): void {
    this.heap.sigmoid(this.idOf(x), this.idOf(out));
  }

  add(a: WasmMat, b: WasmMat, out: WasmMat): void {
    this.heap.add(this.idOf(a), this.idOf(b), this.idOf(out), a.rows * a.cols);
  }

  release(failed: boolean): void {
    for (const t of this.temporaries) this.heap.release(t);
    for (const t of this.scratches) this.heap.free(t);
    if (failed) for (const t of this.outputs) this.heap.free(t);
  }

  private wrap(t: tf.TensorInfo, rows: number, cols: number): WasmMat {
    const m = new WasmMat(this.heap, this.heap.offsetOf(t) >> 2, rows, cols);
    m.id = this.heap.idOf(t);
    return m;
  }

  private idOf(m: WasmMat): number {
    if (m.id === 0) {
      const t = this.heap.temporary(m.start << 2, m.rows * m.cols);
      this.temporaries.push(t);
      m.id = this.heap.idOf(t);
    }
    return m.id;
  }
}
