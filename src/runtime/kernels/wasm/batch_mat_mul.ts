import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';
import type { GemmLoops } from './simd/gemm.js';

/**
 * BatchMatMul through graphc's relaxed-SIMD GEMM (simd/gemm.ts), or where
 * that is off through XNNPACK for every case. The stock kernel takes the
 * XNNPACK GEMM only for one untransposed matrix pair and otherwise runs a
 * scalar loop (~1-2 GFLOP/s instead of ~20); gradients are made of
 * transposed products. Here transposed operands are transposed explicitly
 * (cheap next to the product) and batched products run one GEMM per batch
 * entry, with tfjs's broadcasting of the batch dimensions.
 */
export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const heap = WasmHeap.of(args.backend);
    const gemm = heap.gemm;
    const plan = planProduct(a, b, transposeA, transposeB, gemm !== undefined);
    if (plan === null) return callStock(tf.BatchMatMul, 'wasm', args);
    return gemm ? multiplyByGemm(heap, gemm, a, b, plan) : multiply(heap, a, b, plan);
  },
};

interface Plan {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly outShape: number[];
  /** For each output batch entry, the batch entries of a and of b it multiplies. */
  readonly pairs: ReadonlyArray<readonly [number, number]>;
}

/** How to compute the product, or null where the stock kernel is as good (XNNPACK's GEMM, without graphc's) or the inputs are not its business here. */
function planProduct(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean, ownGemm: boolean): Plan | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== kB || m * k * n === 0) return null;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const pairs = batchPairs(batchShape, aBatch, bBatch);
  if (pairs.length === 1 && !transposeA && !transposeB && !ownGemm) return null;
  return { m, k, n, transposeA, transposeB, outShape: [...batchShape, m, n], pairs };
}

/** The (a entry, b entry) of every output batch entry, broadcasting size-1 (and missing) dimensions. */
function batchPairs(batchShape: readonly number[], aBatch: readonly number[], bBatch: readonly number[]): Array<[number, number]> {
  const rank = batchShape.length;
  const pad = (shape: readonly number[]): number[] => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const [aShape, bShape] = [pad(aBatch), pad(bBatch)];
  const [aStrides, bStrides] = [aShape, bShape].map((shape) => {
    const strides = new Array<number>(rank).fill(0);
    for (let d = rank - 1, s = 1; d >= 0; s *= shape[d]!, d--) strides[d] = shape[d] === 1 ? 0 : s;
    return strides;
  }) as [number[], number[]];
  const total = batchShape.reduce((x, y) => x * y, 1);
  const pairs: Array<[number, number]> = [];
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    pairs.push([index.reduce((s, v, d) => s + v * aStrides[d]!, 0), index.reduce((s, v, d) => s + v * bStrides[d]!, 0)]);
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < batchShape[d]!) break;
      index[d] = 0;
    }
  }
  return pairs;
}

/**
 * The product by graphc's GEMM: each distinct b entry packed once (a
 * transposed b is packed from its strides, at no extra cost), a transposed a
 * transposed explicitly (cached for weights, as for XNNPACK).
 */
function multiplyByGemm(heap: WasmHeap, gemm: GemmLoops, a: tf.TensorInfo, b: tf.TensorInfo, plan: Plan): tf.TensorInfo {
  const { m, k, n, pairs } = plan;
  const aOperand = plan.transposeA ? transposedOperand(heap, a, k, m) : { matrices: a, temporary: false };
  const out = heap.allocate(plan.outShape);
  const packed = new Map<number, tf.TensorInfo>();
  try {
    // B entry ib is k × n: [k, n] row-major, or stored [n, k] when transposed.
    const [rowStride, colStride] = plan.transposeB ? [1, k] : [n, 1];
    for (const [, ib] of pairs) {
      if (!packed.has(ib)) packed.set(ib, heap.packB(gemm, (heap.offsetOf(b) >> 2) + ib * k * n, rowStride, colStride, k, n));
    }
    const [aBase, outBase] = [heap.offsetOf(aOperand.matrices) >> 2, heap.offsetOf(out) >> 2];
    pairs.forEach(([ia, ib], i) => heap.gemmPacked(gemm, aBase + ia * m * k, k, packed.get(ib)!, false, m, k, n, outBase + i * m * n, n));
  } finally {
    for (const p of packed.values()) heap.free(p);
    if (aOperand.temporary) heap.free(aOperand.matrices);
  }
  return out;
}

function multiply(heap: WasmHeap, a: tf.TensorInfo, b: tf.TensorInfo, plan: Plan): tf.TensorInfo {
  const { m, k, n, pairs } = plan;
  const aOperand = plan.transposeA ? transposedOperand(heap, a, k, m) : { matrices: a, temporary: false };
  const bOperand = plan.transposeB ? transposedOperand(heap, b, n, k) : { matrices: b, temporary: false };
  const [aMatrices, bMatrices] = [aOperand.matrices, bOperand.matrices];
  const out = heap.allocate(plan.outShape);
  const aBase = heap.offsetOf(aMatrices);
  const bBase = heap.offsetOf(bMatrices);
  const outBase = heap.offsetOf(out);
  const temporaries: tf.TensorInfo[] = [];
  // One id per distinct b entry, so XNNPACK packs each b matrix once.
  const bIds = new Map<number, number>();
  const idAt = (offset: number, size: number): number => {
    const t = heap.temporary(offset, size);
    temporaries.push(t);
    return heap.idOf(t);
  };
  try {
    pairs.forEach(([ia, ib], i) => {
      let bId = bIds.get(ib);
      if (bId === undefined) bIds.set(ib, (bId = idAt(bBase + ib * k * n * 4, k * n)));
      heap.matmul(idAt(aBase + ia * m * k * 4, m * k), bId, idAt(outBase + i * m * n * 4, m * n), m, k, n);
    });
  } finally {
    for (const t of temporaries) heap.release(t);
    if (aOperand.temporary) heap.free(aMatrices);
    if (bOperand.temporary) heap.free(bMatrices);
  }
  return out;
}

/**
 * Transposed copies of tensors that are used transposed more than once (the
 * weights of an unrolled RNN, whose gradient takes W ᵀ at every step), kept
 * until the tensor's memory is freed. Keyed by the data and the shape it was
 * seen with (a reshape shares the data): a tensor seen once maps to its shape
 * key only.
 */
const transposedCache = new WeakMap<tf.DataId, { readonly shape: string; copy?: tf.TensorInfo }>();

/** t's matrices transposed: cached if t was transposed before, else a temporary copy the caller frees. */
function transposedOperand(heap: WasmHeap, t: tf.TensorInfo, rows: number, cols: number): { matrices: tf.TensorInfo; temporary: boolean } {
  const shape = t.shape.join(',');
  const seen = transposedCache.get(t.dataId);
  if (seen?.copy && seen.shape === shape) return { matrices: seen.copy, temporary: false };
  const copy = transposedCopy(heap, t, rows, cols);
  if (seen === undefined || seen.shape !== shape || seen.copy) {
    // First sight (or another shape of the same data): remember it, but keep no copy yet.
    if (seen === undefined) transposedCache.set(t.dataId, { shape });
    return { matrices: copy, temporary: true };
  }
  seen.copy = copy;
  heap.whenFreed(t.dataId, () => heap.free(copy));
  return { matrices: copy, temporary: false };
}

/** Every [rows, cols] matrix of t, transposed to [cols, rows], in a new tensor. */
function transposedCopy(heap: WasmHeap, t: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  const out = heap.allocate([t.shape.slice(0, -2).reduce((x, y) => x * y, 1), cols, rows]);
  const [from, to] = [heap.offsetOf(t) >> 2, heap.offsetOf(out) >> 2];
  const count = tf.util.sizeFromShape(t.shape) / (rows * cols);
  for (let i = 0; i < count; i++) heap.transpose(from + i * rows * cols, cols, rows, cols, to + i * rows * cols, rows);
  return out;
}
