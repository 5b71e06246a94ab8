/**
 * The vectorised loops of elementwise.wat, instantiated on a wasm backend's
 * own memory (one instance per memory). Pointers are byte offsets into it.
 */
import { transposeBlock, type Mat } from '../../recurrent/matrix.js';
import { ELEMENTWISE_WASM } from './elementwise.wasm.js';
import { fromBase64 } from './gemm.js';

export interface Elementwise {
  gruResetProduct(gates: number, hPrev: number, out: number, rows: number, units: number): void;
  gruUpdateState(gates: number, candidate: number, hPrev: number, hNext: number, out: number, outStride: number, rows: number, units: number): void;
  gruStepGradient(
    dy: number, dyStride: number, later: number, carry: number, dResetState: number, laterGates: number,
    gates: number, candidate: number, dh: number, dCandidate: number, rows: number, units: number,
  ): void;
  gruGateGradients(dh: number, hasDResetState: number, dResetState: number, hPrev: number, gates: number, candidate: number, out: number, rows: number, units: number): void;
  lstmUpdateCell(gates: number, cPrev: number, cNext: number, cellTanh: number, rows: number, units: number): void;
  lstmUpdateState(gates: number, cellTanh: number, hNext: number, out: number, outStride: number, rows: number, units: number): void;
  lstmStepGradient(
    dy: number, dyStride: number, last: number, dhCarry: number, dcCarry: number,
    gates: number, cellTanh: number, cPrev: number, out: number, rows: number, units: number,
  ): void;
  dropoutMask(out: number, quads: number, keyA: number, keyB: number, first: number, limit: number): void;
  transpose(src: number, srcStride: number, rows: number, cols: number, dst: number, dstStride: number): void;
  adamUpdate(
    variable: number, slots: number, gradient: number, nextVariable: number, nextSlots: number, size: number, quads: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, learningRate: number, epsilon: number,
  ): void;
}

/** The part of the WebAssembly API used here (the project's type libraries leave it undeclared). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: object | undefined;
const instances = new WeakMap<object, Elementwise>();

/**
 * The loops working on `memory` (a WebAssembly.Memory), or undefined where
 * they cannot link to it (tfjs-wasm's threaded build shares its memory, which
 * this module's import does not declare; callers then use JavaScript).
 */
export function elementwiseFor(memory: object): Elementwise | undefined {
  let loops = instances.get(memory);
  if (!loops) {
    try {
      // Not Node's Buffer: a page has none, and would fall back to the JavaScript loops unseen.
      compiled ??= new wasm.Module(fromBase64(ELEMENTWISE_WASM));
      loops = new wasm.Instance(compiled, { env: { memory } }).exports as Elementwise;
    } catch {
      return undefined;
    }
    instances.set(memory, loops);
  }
  return loops;
}

/** Byte offset of a matrix's first element in its heap. */
export const at = (m: Mat): number => m.start * 4;

/** Whether loops over rows of `units` float32 fit the vector loops (whole 16-byte lanes, something to do). */
export function vectorRows(rows: number, units: number): boolean {
  return rows > 0 && units > 0 && units % 4 === 0;
}

/**
 * transposeBlock (recurrent/matrix.ts) within a wasm heap `data` (starts and
 * strides in elements): the 4×4-aligned part by the vector loop, the edges
 * by the JavaScript one.
 */
export function heapTranspose(
  simd: Elementwise,
  data: Float32Array,
  srcStart: number,
  srcStride: number,
  rows: number,
  cols: number,
  dstStart: number,
  dstStride: number,
): void {
  const [rows4, cols4] = [rows & ~3, cols & ~3];
  if (rows4 > 0 && cols4 > 0) simd.transpose(srcStart * 4, srcStride * 4, rows4, cols4, dstStart * 4, dstStride * 4);
  else return transposeBlock(data, srcStart, srcStride, rows, cols, data, dstStart, dstStride);
  if (cols4 < cols) transposeBlock(data, srcStart + cols4, srcStride, rows4, cols - cols4, data, dstStart + cols4 * dstStride, dstStride);
  if (rows4 < rows) transposeBlock(data, srcStart + rows4 * srcStride, srcStride, rows - rows4, cols, data, dstStart + rows4, dstStride);
}
