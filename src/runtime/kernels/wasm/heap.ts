/**
 * The wasm backend's memory as graphc's kernels use it.
 *
 * tfjs-wasm keeps every tensor in one WebAssembly heap: a JS-side table maps
 * each tensor to a byte offset, and the C++ side knows tensors by a numeric
 * id registered with that offset. That lets graphc
 * - call the module's own kernels (the XNNPACK GEMM, the vectorised sigmoid)
 *   on any range of the heap, by registering a temporary id for it;
 * - give the engine tensors that are views into another tensor's memory
 *   (copy-free slices). A view holds a reference on the tensor it views, and
 *   disposing the view drops it; the backend's disposeData is wrapped once per
 *   backend instance so that a view's offset is never passed to free().
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { transposeBlock } from '../recurrent/matrix.js';
import { elementwiseFor, heapTranspose, type Elementwise } from './simd/elementwise.js';
import { gemmFor, gemmPlanner, packedSize, PANEL, SCRATCH_FLOATS, variantCall, type GemmLoops } from './simd/gemm.js';

/** The parts of the Emscripten module graphc calls (exports of tfjs-backend-wasm's C++). */
interface WasmModule {
  readonly HEAPF32: Float32Array;
  readonly HEAP32: Int32Array;
  readonly HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _BatchMatMul(aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: number, transposeB: number, outId: number): void;
  __FusedMatMul(
    aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number,
    transposeA: number, transposeB: number, activation: number, biasId: number, preluId: number, leakyAlpha: number, outId: number,
  ): void;
  _Sigmoid(xId: number, outId: number): void;
  _Add(aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, dtype: number, outId: number): void;
  readonly tfjs: {
    registerTensor(id: number, size: number, offset: number): void;
    disposeData(id: number): void;
  };
  /** The module's exports; its memory is the heap (Emscripten's non-threaded build). */
  readonly asm?: { readonly memory?: object };
}

interface TensorData {
  readonly id: number;
  readonly memoryOffset: number;
  refCount: number;
}

/** The backend's own fields and methods graphc relies on (tfjs-backend-wasm 4.x). */
interface WasmBackendInternals {
  readonly wasm: WasmModule;
  readonly dataIdMap: {
    get(dataId: tf.DataId): TensorData | undefined;
    delete(dataId: tf.DataId): boolean;
  };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

const heaps = new WeakMap<object, WasmHeap>();

export class WasmHeap {
  readonly module: WasmModule;
  private readonly backend: WasmBackendInternals;
  /** view → the tensor whose memory it shares (always an owner, never another view). */
  private readonly owners = new WeakMap<tf.DataId, tf.DataId>();
  /** Called once when a tensor's memory is freed (see whenFreed). */
  private readonly freeListeners = new WeakMap<tf.DataId, () => void>();
  /** Scratch for the shape arguments of the module's kernels: two rank-3 shapes. */
  private readonly shapes: number;
  /** graphc's vectorised loops on this heap (undefined if the module does not expose its memory). */
  readonly simd: Elementwise | undefined;
  /** The module's memory (undefined if it does not expose it). */
  private readonly memory: object | undefined;
  /** Scratch for the GEMM's partial tiles and packed blocks of A (allocated on first use). */
  private gemmScratchAt = 0;

  /** The heap of a wasm backend instance (created, and the backend's disposeData wrapped, on first use). */
  static of(backend: unknown): WasmHeap {
    const key = backend as BackendWasm;
    let heap = heaps.get(key);
    if (!heap) {
      heap = new WasmHeap(backend as WasmBackendInternals);
      heaps.set(key, heap);
    }
    return heap;
  }

  private constructor(backend: WasmBackendInternals) {
    this.backend = backend;
    this.module = backend.wasm;
    this.shapes = this.module._malloc(6 * 4);
    const memory = this.module.asm?.memory;
    this.memory = memory;
    this.simd = memory === undefined ? undefined : elementwiseFor(memory);
    const disposeData = backend.disposeData.bind(backend);
    backend.disposeData = (dataId: tf.DataId, force = false): boolean => {
      const freed = this.disposeView(dataId, force) ?? disposeData(dataId, force);
      if (freed) this.notifyFreed(dataId);
      return freed;
    };
  }

  /** Runs `listener` once when the tensor's memory is freed (for caches derived from it). */
  whenFreed(dataId: tf.DataId, listener: () => void): void {
    this.freeListeners.set(dataId, listener);
  }

  private notifyFreed(dataId: tf.DataId): void {
    const listener = this.freeListeners.get(dataId);
    if (listener) {
      this.freeListeners.delete(dataId);
      listener();
    }
  }

  /** The whole heap as float32; fetch it again after anything that may allocate. */
  get f32(): Float32Array {
    return this.module.HEAPF32;
  }

  /** The whole heap as the typed array of a numeric dtype (index = byte offset / element size). */
  array(dtype: tf.DataType): Float32Array | Int32Array | Uint8Array {
    switch (dtype) {
      case 'float32':
        return this.module.HEAPF32;
      case 'int32':
        return this.module.HEAP32;
      case 'bool':
        return this.module.HEAPU8;
      default:
        throw new Error(`no heap view for dtype ${dtype}`);
    }
  }

  /** The byte offset of a tensor's data. */
  offsetOf(t: tf.TensorInfo): number {
    return this.data(t.dataId).memoryOffset;
  }

  /** The C++ id of a tensor. */
  idOf(t: tf.TensorInfo): number {
    return this.data(t.dataId).id;
  }

  /** A new tensor with its own memory (not zeroed). */
  allocate(shape: readonly number[], dtype: tf.DataType = 'float32'): tf.TensorInfo {
    return this.backend.makeOutput([...shape], dtype);
  }

  /** Frees a tensor made by allocate() that the engine never saw. */
  free(t: tf.TensorInfo): void {
    this.backend.disposeData(t.dataId);
  }

  /**
   * A temporary tensor over `size` float32 elements at byte `offset`, only to
   * pass its id to the module's kernels; release it with release(), which
   * also drops any XNNPACK operator cached for its id.
   */
  temporary(offset: number, size: number): tf.TensorInfo {
    return this.backend.makeOutput([size], 'float32', offset);
  }

  release(t: tf.TensorInfo): void {
    const data = this.data(t.dataId);
    this.backend.dataIdMap.delete(t.dataId);
    this.module.tfjs.disposeData(data.id);
  }

  /**
   * A tensor for the engine that shares `source`'s memory from element
   * `start`: no copy is made, and source's memory lives until every view of
   * it is disposed.
   */
  view(source: tf.TensorInfo, start: number, shape: readonly number[], dtype: tf.DataType = source.dtype): tf.TensorInfo {
    const owner = this.owners.get(source.dataId) ?? source.dataId;
    const offset = this.offsetOf(source) + start * tf.util.bytesPerElement(dtype);
    const view = this.backend.makeOutput([...shape], dtype, offset);
    this.backend.incRef(owner);
    this.owners.set(view.dataId, owner);
    return view;
  }

  /**
   * out = a @ b (+ bias) through the module's XNNPACK GEMM: a [m, k], b [k, n],
   * out [m, n], bias [n] (ids from register or idOf). XNNPACK packs b once per
   * id and caches it, so a b reused across calls should keep its id.
   */
  matmul(aId: number, bId: number, outId: number, m: number, k: number, n: number, biasId = 0): void {
    const shapes = this.module.HEAP32;
    const at = this.shapes >> 2;
    shapes.set([1, m, k, 1, k, n], at);
    if (biasId === 0) this.module._BatchMatMul(aId, this.shapes, 3, bId, this.shapes + 12, 3, 0, 0, outId);
    else this.module.__FusedMatMul(aId, this.shapes, 3, bId, this.shapes + 12, 3, 0, 0, 0, biasId, 0, 0, outId);
  }

  /**
   * graphc's relaxed-SIMD GEMM on this heap, or undefined where it is not
   * supported or turned off (gemmSupport in simd/gemm.ts; asked at each use,
   * so that turning it off applies to heaps made before).
   */
  get gemm(): GemmLoops | undefined {
    return this.memory === undefined ? undefined : gemmFor(this.memory);
  }

  /**
   * B (k × n; element (i, j) at float index start + i·rowStride + j·colStride)
   * packed for gemmPacked into a new allocation the caller frees, with the
   * bias row (n floats from float index biasStart) after it if given.
   */
  packB(gemm: GemmLoops, start: number, rowStride: number, colStride: number, k: number, n: number, biasStart?: number): tf.TensorInfo {
    const packed = this.allocate([packedSize(k, n, biasStart !== undefined)]);
    const at = this.offsetOf(packed);
    gemm.packB(start * 4, rowStride * 4, colStride * 4, k, n, at);
    if (biasStart !== undefined) {
      const tail = (at >> 2) + packedSize(k, n);
      const f32 = this.f32;
      f32.copyWithin(tail, biasStart, biasStart + n);
      f32.fill(0, tail + n, tail + Math.ceil(n / PANEL) * PANEL);
    }
    return packed;
  }

  /**
   * C (m × n at float index cStart, row stride ldc) = A (m × k at aStart, row
   * stride lda) · packed B (from packB) + C if accumulate, else + its bias row
   * if packed with one. m, k, n > 0. The variant is the planner's (timed on
   * these operands, into a scratch C, the first time the shape class runs),
   * or `variant` if given.
   */
  gemmPacked(gemm: GemmLoops, aStart: number, lda: number, packed: tf.TensorInfo, bias: boolean, m: number, k: number, n: number, cStart: number, ldc: number, accumulate = false, variant?: string): void {
    const scratch = this.gemmScratch();
    const at = this.offsetOf(packed);
    const biasAt = bias && !accumulate ? at + packedSize(k, n) * 4 : 0;
    const name = variant ?? gemmPlanner().variantFor(m, k, n, () => this.gemmTrial(gemm, aStart, lda, at, m, k, n));
    variantCall(gemm, name)(aStart * 4, lda * 4, at, cStart * 4, ldc * 4, m, n, k, biasAt, accumulate ? 1 : 0, scratch);
  }

  /** The scratch memory of graphc's GEMM calls (allocated once per heap, never freed: the module owns it). */
  private gemmScratch(): number {
    if (this.gemmScratchAt === 0) this.gemmScratchAt = this.module._malloc(SCRATCH_FLOATS * 4);
    return this.gemmScratchAt;
  }

  /** The planner's trial of one product: each variant into a scratch C, so the real C is untouched. */
  private gemmTrial(gemm: GemmLoops, aStart: number, lda: number, packedAt: number, m: number, k: number, n: number): { run(variant: string): void; dispose(): void } {
    const c = this.allocate([m * n]);
    const cAt = this.offsetOf(c);
    const scratch = this.gemmScratch();
    return {
      run: (variant) => variantCall(gemm, variant)(aStart * 4, lda * 4, packedAt, cAt, n * 4, m, n, k, 0, 0, scratch),
      dispose: () => this.free(c),
    };
  }

  /** transposeBlock (recurrent/matrix.ts) within the heap, starts and strides in float32 elements; vectorised where it can be. */
  transpose(srcStart: number, srcStride: number, rows: number, cols: number, dstStart: number, dstStride: number): void {
    if (this.simd) heapTranspose(this.simd, this.f32, srcStart, srcStride, rows, cols, dstStart, dstStride);
    else transposeBlock(this.f32, srcStart, srcStride, rows, cols, this.f32, dstStart, dstStride);
  }

  /** out = a + b over `size` float32 elements each (the module's vectorised kernel; out may be a). */
  add(aId: number, bId: number, outId: number, size: number): void {
    const at = this.shapes >> 2;
    this.module.HEAP32.set([size], at);
    this.module._Add(aId, this.shapes, 1, bId, this.shapes, 1, 0, outId);
  }

  /** out = σ(x) over a whole registered range (the module's vectorised kernel). */
  sigmoid(xId: number, outId: number): void {
    this.module._Sigmoid(xId, outId);
  }

  private data(dataId: tf.DataId): TensorData {
    const data = this.backend.dataIdMap.get(dataId);
    if (!data) throw new Error('wasm tensor has been disposed');
    return data;
  }

  /** Disposes a view (undefined if dataId is not one); the owner's memory is freed with its last reference. */
  private disposeView(dataId: tf.DataId, force: boolean): boolean | undefined {
    const owner = this.owners.get(dataId);
    if (owner === undefined) return undefined;
    const data = this.backend.dataIdMap.get(dataId);
    if (!data) return true;
    data.refCount--;
    if (!force && data.refCount > 0) return false;
    this.owners.delete(dataId);
    this.backend.dataIdMap.delete(dataId);
    this.module.tfjs.disposeData(data.id);
    // The view's reference was the owner's last one only if the engine disposed the owner already;
    // then the engine still counts its buffer, so tell it the buffer is gone.
    if (this.backend.disposeData(owner)) tf.engine().removeDataId(owner, this.backend as unknown as tf.KernelBackend);
    return true;
  }
}
