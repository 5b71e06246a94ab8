/**
 * Conv2D and its gradients through graphc's relaxed-SIMD GEMM (im2col):
 * with the patches of x as rows (cols [M = B·Ho·Wo, K = kh·kw·Ci], NHWC order
 * within a patch, as the filter [kh, kw, Ci, Co] is laid out),
 *   y    = cols · W            (W as [K, Co], contiguous)
 *   dx   = col2im(dy · Wᵀ)     (Wᵀ packed from W's strides)
 *   dW   = colsᵀ · dy
 * Conv1D reaches here too (tfjs lowers it to Conv2D). The patches are made
 * and scattered back in blocks of rows, so the heap never holds more than a
 * few MiB of them whatever the batch (the wasm heap never shrinks). Used where
 * graphc's GEMM is on, for float32 NHWC without dilation; everything else
 * goes to the stock kernels (XNNPACK's convolution and deconvolution, and
 * graphc's composite filter gradient, which stock runs keep), as does every
 * convolution when GRAPHC_WASM_CONV=stock asks (to compare the two).
 */
import { tf } from '../../tf.js';
import { callStock } from '../registry.js';
import { WasmHeap } from './heap.js';
import type { GemmLoops } from './simd/gemm.js';

type Shape4 = [number, number, number, number];

/** GRAPHC_WASM_CONV=stock keeps the stock convolution kernels (read at each call). */
export const CONV_ENV = 'GRAPHC_WASM_CONV';

/** graphc's GEMM on this heap, unless it is off or GRAPHC_WASM_CONV=stock. */
const gemmOf = (heap: WasmHeap): GemmLoops | undefined => (process.env[CONV_ENV]?.toLowerCase() === 'stock' ? undefined : heap.gemm);

/** Floats of patches per block (4 MiB): rows per block = this / K. */
const BLOCK_FLOATS = 1 << 20;

/** What one convolution multiplies, from tfjs's Conv2DInfo. */
interface Geometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly top: number;
  readonly left: number;
  /** Rows (output positions) and patch length. */
  readonly m: number;
  readonly k: number;
}

/** The geometry, or undefined where the GEMM path does not apply (dilation, NCHW). */
function geometry(xShape: Shape4, filterShape: Shape4, attrs: { strides: number | [number, number]; pad: tf.Conv2DAttrs['pad']; dataFormat?: string; dilations?: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil' }): Geometry | undefined {
  const format = tf.backend_util.convertConv2DDataFormat((attrs.dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW');
  if (format !== 'channelsLast') return undefined;
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, format);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  const g = {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
  const m = g.batch * g.outH * g.outW;
  const k = g.kH * g.kW * g.inC;
  return m * k * g.outC > 0 ? { ...g, m, k } : undefined;
}

/** Rows per block of patches. */
const blockRows = (g: Geometry): number => Math.max(1, Math.min(g.m, Math.floor(BLOCK_FLOATS / g.k)));

/**
 * The patches of rows [r0, r0 + rows) into cols (rows × K at float index
 * `to`), zeros where a patch reaches into the padding; with `back`, the other
 * way round: each patch element added into x (col2im).
 */
function patches(f32: Float32Array, g: Geometry, x: number, to: number, r0: number, rows: number, back: boolean): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, top, left, k } = g;
  let row = to;
  for (let r = r0; r < r0 + rows; r++, row += k) {
    const ox = r % outW;
    const oy = Math.floor(r / outW) % outH;
    const b = Math.floor(r / (outW * outH));
    let at = row;
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * strideH - top + ky;
      for (let kx = 0; kx < kW; kx++, at += inC) {
        const ix = ox * strideW - left + kx;
        if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
          if (!back) f32.fill(0, at, at + inC);
          continue;
        }
        const from = x + ((b * inH + iy) * inW + ix) * inC;
        if (back) for (let c = 0; c < inC; c++) f32[from + c]! += f32[at + c]!;
        else if (inC === 1) f32[at] = f32[from]!;
        else f32.copyWithin(at, from, from + inC);
      }
    }
  }
}

/** y [B, Ho, Wo, Co] = conv(x, W). */
function forward(heap: WasmHeap, gemm: GemmLoops, g: Geometry, x: tf.TensorInfo, filter: tf.TensorInfo): tf.TensorInfo {
  const out = heap.allocate([g.batch, g.outH, g.outW, g.outC]);
  const packed = heap.packB(gemm, heap.offsetOf(filter) >> 2, g.outC, 1, g.k, g.outC);
  const block = blockRows(g);
  const cols = heap.allocate([block * g.k]);
  try {
    const [xAt, colsAt, outAt] = [heap.offsetOf(x) >> 2, heap.offsetOf(cols) >> 2, heap.offsetOf(out) >> 2];
    for (let r0 = 0; r0 < g.m; r0 += block) {
      const rows = Math.min(block, g.m - r0);
      patches(heap.f32, g, xAt, colsAt, r0, rows, false);
      heap.gemmPacked(gemm, colsAt, g.k, packed, false, rows, g.k, g.outC, outAt + r0 * g.outC, g.outC);
    }
  } finally {
    heap.free(cols);
    heap.free(packed);
  }
  return out;
}

/** dx [B, H, W, Ci] from dy [B, Ho, Wo, Co] and W. */
function backpropInput(heap: WasmHeap, gemm: GemmLoops, g: Geometry, dy: tf.TensorInfo, filter: tf.TensorInfo): tf.TensorInfo {
  const dx = heap.allocate([g.batch, g.inH, g.inW, g.inC]);
  // Wᵀ: element (co, j) of the Co × K matrix is W[j, co].
  const packed = heap.packB(gemm, heap.offsetOf(filter) >> 2, 1, g.outC, g.outC, g.k);
  const block = blockRows(g);
  const cols = heap.allocate([block * g.k]);
  try {
    const [dxAt, colsAt, dyAt] = [heap.offsetOf(dx) >> 2, heap.offsetOf(cols) >> 2, heap.offsetOf(dy) >> 2];
    heap.f32.fill(0, dxAt, dxAt + g.batch * g.inH * g.inW * g.inC);
    for (let r0 = 0; r0 < g.m; r0 += block) {
      const rows = Math.min(block, g.m - r0);
      heap.gemmPacked(gemm, dyAt + r0 * g.outC, g.outC, packed, false, rows, g.outC, g.k, colsAt, g.k);
      patches(heap.f32, g, dxAt, colsAt, r0, rows, true);
    }
  } finally {
    heap.free(cols);
    heap.free(packed);
  }
  return dx;
}

/** dW [kh, kw, Ci, Co] from x and dy: Σ over blocks of rows of colsᵀ · dy. */
function backpropFilter(heap: WasmHeap, gemm: GemmLoops, g: Geometry, x: tf.TensorInfo, dy: tf.TensorInfo): tf.TensorInfo {
  const dw = heap.allocate([g.kH, g.kW, g.inC, g.outC]);
  const block = blockRows(g);
  const cols = heap.allocate([block * g.k]);
  const colsT = heap.allocate([block * g.k]);
  try {
    const [xAt, colsAt, colsTAt, dyAt, dwAt] = [x, cols, colsT, dy, dw].map((t) => heap.offsetOf(t) >> 2) as [number, number, number, number, number];
    for (let r0 = 0; r0 < g.m; r0 += block) {
      const rows = Math.min(block, g.m - r0);
      patches(heap.f32, g, xAt, colsAt, r0, rows, false);
      heap.transpose(colsAt, g.k, rows, g.k, colsTAt, rows);
      const packed = heap.packB(gemm, dyAt + r0 * g.outC, g.outC, 1, rows, g.outC);
      try {
        heap.gemmPacked(gemm, colsTAt, rows, packed, false, g.k, rows, g.outC, dwAt, g.outC, r0 > 0);
      } finally {
        heap.free(packed);
      }
    }
  } finally {
    heap.free(cols);
    heap.free(colsT);
  }
  return dw;
}

const isFloat = (...ts: tf.TensorInfo[]): boolean => ts.every((t) => t.dtype === 'float32');

export const conv2dConfig: tf.KernelConfig = {
  kernelName: tf.Conv2D,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const heap = WasmHeap.of(args.backend);
    const gemm = gemmOf(heap);
    const g = gemm && isFloat(x, filter) ? geometry(x.shape as Shape4, filter.shape as Shape4, args.attrs as unknown as tf.Conv2DAttrs) : undefined;
    return gemm && g ? forward(heap, gemm, g, x, filter) : callStock(tf.Conv2D, 'wasm', args);
  },
};

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const heap = WasmHeap.of(args.backend);
    const gemm = gemmOf(heap);
    const g = gemm && isFloat(dy, filter) ? geometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs) : undefined;
    return gemm && g ? backpropInput(heap, gemm, g, dy, filter) : callStock(tf.Conv2DBackpropInput, 'wasm', args);
  },
};

/** Over graphc's composite filter gradient (conv2d_backprop_filter.ts, registered as the stock one where tfjs has none), which runs where the GEMM does not apply. */
export const conv2dBackpropFilterGemmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const heap = WasmHeap.of(args.backend);
    const gemm = gemmOf(heap);
    const g = gemm && isFloat(x, dy) ? geometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs) : undefined;
    return gemm && g ? backpropFilter(heap, gemm, g, x, dy) : callStock(tf.Conv2DBackpropFilter, 'wasm', args);
  },
};
