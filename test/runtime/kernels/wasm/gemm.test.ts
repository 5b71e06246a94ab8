/**
 * graphc's relaxed-SIMD GEMM (src/runtime/kernels/wasm/simd/gemm.*) computes
 * what the stock GEMM (tfjs-wasm's XNNPACK, called on the same heap data)
 * computes, within float32 tolerance (a fused multiply-add rounds once, so
 * not bit-exactly): over ragged shapes (rows not a multiple of the 4-row tile,
 * columns not of the 8-column panel, k across the 256-row K blocks, m across
 * the 96-row M blocks), strided A, transposed B (packed from its strides),
 * with a bias and accumulating into C. GRAPHC_WASM_GEMM=off turns it off and
 * the wasm kernels fall back to XNNPACK, with the reason said. The committed
 * .wat is what scripts/gemm-wat.mjs writes, and the .wasm.ts what it assembles to.
 * Every variant of the module (register tiles, blockings, packed A, loop
 * orders) gives the stock GEMM's values, and all of them the same bits.
 */
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WasmHeap } from '../../../../src/runtime/kernels/wasm/heap.js';
import { GEMM_ENV, gemmDescription, gemmPlanDescription, gemmSupport, resetGemmSupport, type GemmLoops } from '../../../../src/runtime/kernels/wasm/simd/gemm.js';
import { GEMM_VARIANTS } from '../../../../src/runtime/kernels/wasm/simd/gemm.variants.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues } from '../../rnn/helpers.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { assemble } from '../../../../scripts/build-wasm.mjs';
// @ts-expect-error: a plain .mjs script without type declarations
import { gemmWat, variantsTs } from '../../../../scripts/gemm-wat.mjs';

let heap: WasmHeap;
let gemm: GemmLoops;

beforeAll(async () => {
  registerGraphcKernels('wasm');
  expect(await tf.setBackend('wasm')).toBe(true);
  heap = WasmHeap.of(tf.backend());
  // Node 22+ has relaxed SIMD, Node 20 behind the flag gemmSupport sets: graphc supports both, so it must be on here.
  expect(gemmSupport()).toEqual({ available: true });
  gemm = heap.gemm!;
  expect(gemm).toBeDefined();
});

afterEach(() => {
  delete process.env[GEMM_ENV];
  resetGemmSupport();
});

/** A tensor of random values in the heap and its first float index. */
function filled(size: number, seed: number): { t: tf.TensorInfo; at: number } {
  const t = heap.allocate([Math.max(size, 1)]);
  const at = heap.offsetOf(t) >> 2;
  heap.f32.set(randomValues(size, seed), at);
  return { t, at };
}

const slice = (at: number, size: number): Float32Array => heap.f32.slice(at, at + size);

/** expected vs actual within `relative` of expected's largest magnitude. */
function expectClose(actual: Float32Array, expected: Float32Array, relative = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs), 1e-30);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst / scale).toBeLessThanOrEqual(relative);
}

/** The stock GEMM (XNNPACK) on contiguous a [m, k], b [k, n] (+ bias [n]): the reference. */
function stockProduct(a: number, b: number, m: number, k: number, n: number, bias?: number): Float32Array {
  const ids: tf.TensorInfo[] = [];
  const id = (at: number, size: number): number => {
    const t = heap.temporary(at * 4, size);
    ids.push(t);
    return heap.idOf(t);
  };
  const out = heap.allocate([m * n]);
  try {
    heap.matmul(id(a, m * k), id(b, k * n), heap.idOf(out), m, k, n, bias === undefined ? 0 : id(bias, n));
    return slice(heap.offsetOf(out) >> 2, m * n);
  } finally {
    for (const t of ids) heap.release(t);
    heap.free(out);
  }
}

const SHAPES: Array<[m: number, k: number, n: number]> = [
  [1, 1, 1],
  [1, 5, 8],
  [3, 7, 5],
  [4, 8, 8],
  [5, 3, 9],
  [7, 13, 11],
  [13, 31, 17],
  [100, 256, 768], // the recurrent product of the bench's Bi-GRU
  [97, 257, 23], // one row past the M block, one k past the K block
  [200, 600, 40], // several K and M blocks
  [2, 520, 3],
];

describe("graphc's GEMM against the stock GEMM", () => {
  for (const [m, k, n] of SHAPES) {
    it(`[${m}, ${k}] @ [${k}, ${n}], plain, with a bias, and accumulating`, () => {
      const a = filled(m * k, 1);
      const b = filled(k * n, 2);
      const bias = filled(n, 3);
      const c = filled(m * n, 4);
      const packed = heap.packB(gemm, b.at, n, 1, k, n);
      const packedBias = heap.packB(gemm, b.at, n, 1, k, n, bias.at);
      try {
        const before = slice(c.at, m * n);
        const expected = stockProduct(a.at, b.at, m, k, n);
        heap.gemmPacked(gemm, a.at, k, packed, false, m, k, n, c.at, n, true);
        expectClose(slice(c.at, m * n), expected.map((v, i) => v + before[i]!));
        heap.gemmPacked(gemm, a.at, k, packed, false, m, k, n, c.at, n);
        expectClose(slice(c.at, m * n), expected);
        heap.gemmPacked(gemm, a.at, k, packedBias, true, m, k, n, c.at, n);
        expectClose(slice(c.at, m * n), stockProduct(a.at, b.at, m, k, n, bias.at));
      } finally {
        for (const t of [a.t, b.t, bias.t, c.t, packed, packedBias]) heap.free(t);
      }
    });
  }

  // Odd shapes around each variant's tile rows (2…6), K blocks (128…512) and M blocks (48…192).
  const ODD: Array<[m: number, k: number, n: number]> = [
    [1, 1, 1],
    [5, 3, 9],
    [7, 13, 11],
    [13, 129, 17],
    [49, 257, 23],
    [97, 513, 15],
    [193, 130, 9],
  ];
  for (const [m, k, n] of ODD) {
    it(`every variant, [${m}, ${k}] @ [${k}, ${n}] with a row stride, a bias, accumulating: the stock GEMM's values, the same bits in each`, () => {
      const lda = k + 3;
      const ldc = n + 2;
      const a = filled(m * lda, 21);
      const b = filled(k * n, 22);
      const bias = filled(n, 23);
      const c = filled(m * ldc, 24);
      const dense = filled(m * k, 0);
      const packed = heap.packB(gemm, b.at, n, 1, k, n);
      const packedBias = heap.packB(gemm, b.at, n, 1, k, n, bias.at);
      try {
        for (let i = 0; i < m; i++) heap.f32.copyWithin(dense.at + i * k, a.at + i * lda, a.at + i * lda + k);
        const expected = stockProduct(dense.at, b.at, m, k, n);
        const expectedBias = stockProduct(dense.at, b.at, m, k, n, bias.at);
        const start = slice(c.at, m * ldc);
        const rows = (x: Float32Array): Float32Array => Float32Array.from({ length: m * n }, (_, i) => x[Math.floor(i / n) * ldc + (i % n)]!);
        const startRows = rows(start);
        const expectedAccumulated = expected.map((v, i) => v + startRows[i]!);
        const results = new Map<string, Float32Array[]>();
        for (const { name } of GEMM_VARIANTS) {
          heap.f32.set(start, c.at);
          heap.gemmPacked(gemm, a.at, lda, packed, false, m, k, n, c.at, ldc, true, name);
          const accumulated = slice(c.at, m * ldc);
          expectClose(rows(accumulated), expectedAccumulated);
          heap.gemmPacked(gemm, a.at, lda, packed, false, m, k, n, c.at, ldc, false, name);
          const plain = slice(c.at, m * ldc);
          expectClose(rows(plain), expected);
          heap.gemmPacked(gemm, a.at, lda, packedBias, true, m, k, n, c.at, ldc, false, name);
          const biased = slice(c.at, m * ldc);
          expectClose(rows(biased), expectedBias);
          // The columns between the rows of C are left alone.
          for (let i = 0; i < m; i++) expect(biased.slice(i * ldc + n, (i + 1) * ldc)).toEqual(start.slice(i * ldc + n, (i + 1) * ldc));
          results.set(name, [accumulated, plain, biased]);
        }
        const first = results.get(GEMM_VARIANTS[0]!.name)!;
        for (const [name, result] of results) expect(result, name).toEqual(first);
      } finally {
        for (const t of [a.t, b.t, bias.t, c.t, dense.t, packed, packedBias]) heap.free(t);
      }
    });
  }

  it('reads A with a row stride, writes C with one, and leaves the columns between alone', () => {
    const [m, k, n, lda, ldc] = [9, 21, 13, 30, 20];
    const a = filled(m * lda, 5);
    const b = filled(k * n, 6);
    const c = filled(m * ldc, 7);
    const dense = filled(m * k, 8);
    const packed = heap.packB(gemm, b.at, n, 1, k, n);
    try {
      for (let i = 0; i < m; i++) heap.f32.copyWithin(dense.at + i * k, a.at + i * lda, a.at + i * lda + k);
      const before = slice(c.at, m * ldc);
      heap.gemmPacked(gemm, a.at, lda, packed, false, m, k, n, c.at, ldc);
      const expected = stockProduct(dense.at, b.at, m, k, n);
      const after = slice(c.at, m * ldc);
      for (let i = 0; i < m; i++) {
        expectClose(after.slice(i * ldc, i * ldc + n), expected.slice(i * n, (i + 1) * n));
        expect(after.slice(i * ldc + n, (i + 1) * ldc)).toEqual(before.slice(i * ldc + n, (i + 1) * ldc));
      }
    } finally {
      for (const t of [a.t, b.t, c.t, dense.t, packed]) heap.free(t);
    }
  });

  it('packs a transposed B from its strides', () => {
    const [m, k, n] = [6, 19, 11];
    const a = filled(m * k, 9);
    const bT = filled(n * k, 10); // B stored as [n, k]
    const b = filled(k * n, 0);
    const c = filled(m * n, 0);
    heap.transpose(bT.at, k, n, k, b.at, n);
    const packed = heap.packB(gemm, bT.at, 1, k, k, n);
    try {
      heap.gemmPacked(gemm, a.at, k, packed, false, m, k, n, c.at, n);
      expectClose(slice(c.at, m * n), stockProduct(a.at, b.at, m, k, n));
    } finally {
      for (const t of [a.t, bT.t, b.t, c.t, packed]) heap.free(t);
    }
  });
});

describe(`${GEMM_ENV}=off`, () => {
  it('turns the GEMM off, says why, and the kernels fall back to XNNPACK with the same results', async () => {
    const a = tf.tensor(randomValues(7 * 30, 11), [7, 30]);
    const b = tf.tensor(randomValues(30 * 9, 12), [30, 9]);
    const ours = await tf.matMul(a, b).data();
    process.env[GEMM_ENV] = 'off';
    resetGemmSupport();
    expect(gemmSupport()).toEqual({ available: false, reason: `turned off by ${GEMM_ENV}=off` });
    expect(gemmDescription()).toBe(`XNNPACK's GEMM (graphc's FMA GEMM off: turned off by ${GEMM_ENV}=off)`);
    expect(gemmPlanDescription()).toBeUndefined();
    expect(heap.gemm).toBeUndefined();
    const stock = await tf.matMul(a, b).data();
    expectClose(Float32Array.from(ours), Float32Array.from(stock));
    tf.dispose([a, b]);
  });

  it('is on again without it', () => {
    expect(gemmDescription()).toBe("graphc's relaxed-SIMD FMA GEMM");
    expect(gemmPlanDescription()).toMatch(/^variant/);
    expect(heap.gemm).toBe(gemm);
  });
});

describe('the committed module', () => {
  it('gemm.wat is what scripts/gemm-wat.mjs writes', () => {
    const wat = readFileSync(new URL('../../../../src/runtime/kernels/wasm/simd/gemm.wat', import.meta.url), 'utf8');
    expect(wat).toBe(gemmWat());
  });

  it('gemm.variants.ts is what scripts/gemm-wat.mjs writes with it', () => {
    const ts = readFileSync(new URL('../../../../src/runtime/kernels/wasm/simd/gemm.variants.ts', import.meta.url), 'utf8');
    expect(ts).toBe(variantsTs());
  });

  it('gemm.wasm.ts holds what gemm.wat assembles to', async () => {
    const committed = readFileSync(new URL('../../../../src/runtime/kernels/wasm/simd/gemm.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await assemble('gemm'));
  });
});
