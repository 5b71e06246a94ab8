/**
 * graphc's vectorised loops (src/runtime/kernels/wasm/simd) compute what the
 * JavaScript loops they replace compute: each GRU and LSTM loop against the JS one on
 * the same heap data (float32 rounding per operation, so within 1e-6 of the
 * largest value), the transpose exactly as transposeBlock, the dropout mask
 * kernel exactly as fillMask draws it; and
 * the committed module bytes are what elementwise.wat assembles to.
 */
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DROPOUT_MASK, drawMask, fillMask } from '../../../../src/runtime/kernels/dropout.js';
import { GRU_LOOPS } from '../../../../src/runtime/kernels/recurrent/gru_math.js';
import type { GruLoops, LstmLoops } from '../../../../src/runtime/kernels/recurrent/loops.js';
import { LSTM_LOOPS } from '../../../../src/runtime/kernels/recurrent/lstm_math.js';
import { transposeBlock, type Mat } from '../../../../src/runtime/kernels/recurrent/matrix.js';
import { WasmHeap } from '../../../../src/runtime/kernels/wasm/heap.js';
import { elementwiseFor } from '../../../../src/runtime/kernels/wasm/simd/elementwise.js';
import { simdGruLoops } from '../../../../src/runtime/kernels/wasm/simd/gru_loops.js';
import { simdLstmLoops } from '../../../../src/runtime/kernels/wasm/simd/lstm_loops.js';
import { dropoutMask } from '../../../../src/runtime/rnn/dropout.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues } from '../../rnn/helpers.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { assemble } from '../../../../scripts/build-wasm.mjs';

let heap: WasmHeap;

beforeAll(async () => {
  registerGraphcKernels('wasm');
  expect(await tf.setBackend('wasm')).toBe(true);
  heap = WasmHeap.of(tf.backend());
});

/** Matrices in the wasm heap, filled with random values (one allocation, freed by the caller). */
function heapMatrices(shapes: ReadonlyArray<[rows: number, cols: number]>, seed: number): { mats: Mat[]; free: () => void } {
  const total = shapes.reduce((n, [r, c]) => n + r * c, 0);
  const block = heap.allocate([total]);
  const start = heap.offsetOf(block) >> 2;
  heap.f32.set(randomValues(total, seed), start);
  let offset = start;
  const mats = shapes.map(([rows, cols]) => {
    const m = { get data() { return heap.f32; }, start: offset, rows, cols };
    offset += rows * cols;
    return m;
  });
  return { mats, free: () => heap.free(block) };
}

const copyOf = (m: Mat): Float32Array => m.data.slice(m.start, m.start + m.rows * m.cols);

/** Runs `run` with the JS loops and with the vector loops on copies of the same data; every matrix must end up equal within 1e-6 of its largest value. */
function expectSameLoops<L>([jsLoops, simdLoops]: [L, L], shapes: ReadonlyArray<[number, number]>, seed: number, run: (loops: L, mats: Mat[]) => void): void {
  const js = heapMatrices(shapes, seed);
  const simd = heapMatrices(shapes, seed);
  try {
    run(jsLoops, js.mats);
    run(simdLoops, simd.mats);
    js.mats.forEach((m, k) => {
      const [expected, actual] = [copyOf(m), copyOf(simd.mats[k]!)];
      const scale = Math.max(...expected.map(Math.abs), 1e-30);
      const worst = Math.max(...expected.map((e, i) => Math.abs(e - actual[i]!)));
      expect(worst / scale, `matrix ${k}`).toBeLessThanOrEqual(1e-6);
    });
  } finally {
    js.free();
    simd.free();
  }
}

const gruPair = (): [GruLoops, GruLoops] => [GRU_LOOPS, simdGruLoops(heap.simd!)];
const lstmPair = (): [LstmLoops, LstmLoops] => [LSTM_LOOPS, simdLstmLoops(heap.simd!)];

const ROWS_UNITS: Array<[rows: number, units: number]> = [
  [1, 4],
  [3, 8],
  [5, 12],
  [2, 6], // not whole lanes: the JS loops run
];

describe('wasm vector loops ≡ the JavaScript loops, GRU', () => {
  it('finds the backend memory and instantiates the loops on it', () => {
    expect(heap.simd).toBeDefined();
  });

  it('declines a memory it cannot link to (a shared one, as in tfjs-wasm\'s threaded build), so JavaScript runs', () => {
    // The project's type libraries leave the WebAssembly API undeclared.
    const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => object } }).WebAssembly;
    expect(elementwiseFor(new Memory({ initial: 1, maximum: 1, shared: true }))).toBeUndefined();
    expect(elementwiseFor(new Memory({ initial: 1 }))).toBeDefined();
  });

  for (const [rows, units] of ROWS_UNITS) {
    it(`GRU forward loops, ${rows} rows × ${units} units`, () => {
      const steps = 3;
      const t = 1;
      // gates, candidate, hPrev, hNext, out [B·T, H], rh
      const shapes: Array<[number, number]> = [[rows, 2 * units], [rows, units], [rows, units], [rows, units], [rows * steps, units], [rows, units]];
      expectSameLoops(gruPair(), shapes, rows * 10 + units, (loops, [gates, candidate, hPrev, hNext, out, rh]) => {
        loops.resetProduct(gates!, hPrev!, rh!);
        loops.updateState(gates!, candidate!, hPrev!, hNext!, out!, t, steps);
      });
    });

    for (const later of [false, true]) {
      it(`GRU backward loops, ${rows} rows × ${units} units, ${later ? 'a later step' : 'the last step'}`, () => {
        const steps = 4;
        const t = 2;
        // dy [B·T, H], gates, candidate, dhStep, dCandidate, carry, dResetState, laterGates, hPrev, dGates
        const shapes: Array<[number, number]> = [
          [rows * steps, units], [rows, 2 * units], [rows, units], [rows, units], [rows, units],
          [rows, units], [rows, units], [rows, 2 * units], [rows, units], [rows, 2 * units],
        ];
        expectSameLoops(gruPair(), shapes, rows * 100 + units + (later ? 7 : 0), (loops, [dy, gates, candidate, dhStep, dCandidate, carry, dResetState, laterGates, hPrev, dGates]) => {
          const laterStep = later ? { carry: carry!, dResetState: dResetState!, gates: laterGates! } : null;
          loops.stepGradient(dy!, t, steps, laterStep, gates!, candidate!, dhStep!, dCandidate!);
          loops.gateGradients(dhStep!, later ? dResetState! : null, hPrev!, gates!, candidate!, dGates!);
        });
      });
    }
  }
});

describe('wasm vector loops ≡ the JavaScript loops, LSTM', () => {
  for (const [rows, units] of ROWS_UNITS) {
    it(`LSTM forward loops, ${rows} rows × ${units} units`, () => {
      const steps = 3;
      const t = 2;
      // gates [B, 4H], cPrev, cNext, cellTanh, hNext, out [B·T, H]
      const shapes: Array<[number, number]> = [[rows, 4 * units], [rows, units], [rows, units], [rows, units], [rows, units], [rows * steps, units]];
      expectSameLoops(lstmPair(), shapes, rows * 10 + units + 3, (loops, [gates, cPrev, cNext, cellTanh, hNext, out]) => {
        loops.updateCell(gates!, cPrev!, cNext!, cellTanh!);
        loops.updateState(gates!, cellTanh!, hNext!, out!, t, steps);
      });
    });

    for (const last of [true, false]) {
      it(`LSTM backward loop, ${rows} rows × ${units} units, ${last ? 'the last step' : 'an earlier step'}`, () => {
        const steps = 4;
        const t = 1;
        // dy [B·T, H], gates [B, 4H], cellTanh, cPrev, dhCarry, dcCarry, dGates [B, 4H]
        const shapes: Array<[number, number]> = [[rows * steps, units], [rows, 4 * units], [rows, units], [rows, units], [rows, units], [rows, units], [rows, 4 * units]];
        expectSameLoops(lstmPair(), shapes, rows * 100 + units + (last ? 0 : 5), (loops, [dy, gates, cellTanh, cPrev, dhCarry, dcCarry, dGates]) => {
          loops.stepGradient(dy!, t, steps, last, gates!, cellTanh!, cPrev!, dhCarry!, dcCarry!, dGates!);
        });
      });
    }
  }
});

describe('heap transpose ≡ transposeBlock', () => {
  // [rows, cols, extra source columns, extra destination columns]: aligned, ragged edges, thinner than a block, strided.
  const cases: Array<[number, number, number, number]> = [
    [4, 4, 0, 0],
    [8, 12, 0, 0],
    [5, 7, 0, 0],
    [3, 9, 0, 0],
    [13, 6, 3, 5],
    [16, 20, 4, 1],
    [1, 1, 0, 0],
  ];
  for (const [rows, cols, srcExtra, dstExtra] of cases) {
    it(`${rows} × ${cols}, strides +${srcExtra} / +${dstExtra}`, () => {
      const [srcStride, dstStride] = [cols + srcExtra, rows + dstExtra];
      const { mats, free } = heapMatrices([[rows, srcStride], [cols, dstStride], [cols, dstStride]], rows * cols);
      const [src, simdOut, jsOut] = mats as [Mat, Mat, Mat];
      try {
        // Both outputs start from the same values, so untouched padding must stay equal too.
        heap.f32.copyWithin(jsOut.start, simdOut.start, simdOut.start + cols * dstStride);
        heap.transpose(src.start, srcStride, rows, cols, simdOut.start, dstStride);
        transposeBlock(heap.f32, src.start, srcStride, rows, cols, heap.f32, jsOut.start, dstStride);
        expect(Array.from(copyOf(simdOut))).toEqual(Array.from(copyOf(jsOut)));
        expect(heap.f32[simdOut.start + (cols - 1) * dstStride + rows - 1]).toBe(heap.f32[src.start + (rows - 1) * srcStride + cols - 1]);
      } finally {
        free();
      }
    });
  }
});

describe('GraphcDropoutMask on wasm ≡ fillMask', () => {
  it('is the registered mask kernel', () => {
    expect(tf.getKernel(DROPOUT_MASK, 'wasm')).toBeDefined();
  });

  const cases: Array<{ shape: number[]; keepProb: number; seed: number; exampleOffset: number }> = [
    { shape: [4, 3, 8], keepProb: 0.5, seed: 1, exampleOffset: 0 },
    { shape: [3, 5, 7], keepProb: 0.3, seed: 2, exampleOffset: 5 }, // 105 elements: a scalar tail
    { shape: [2, 1, 2], keepProb: 0.9, seed: 0xffffffff, exampleOffset: 9 }, // fewer than a lane's worth per example
    { shape: [50, 28, 16], keepProb: 1 / 3, seed: 123456789, exampleOffset: 50 },
  ];
  for (const { shape, keepProb, seed, exampleOffset } of cases) {
    it(`draws [${shape.join(', ')}], keep ${keepProb.toFixed(3)}, from example ${exampleOffset}`, () => {
      const perExample = shape.slice(1).reduce((a, b) => a * b, 1);
      const mask = drawMask({ shape, keepProb, seed, first: exampleOffset * perExample });
      const actual = mask.dataSync();
      mask.dispose();
      const expected = dropoutMask(shape, keepProb, seed, exampleOffset);
      expect(Array.from(actual)).toEqual(Array.from(expected));
      const kept = expected.reduce((n, v) => n + v, 0) / expected.length;
      if (expected.length > 1000) expect(Math.abs(kept - keepProb)).toBeLessThan(0.02);
    });
  }

  it('draws the mask of a part as the same elements of the whole', () => {
    const whole = new Float32Array(64);
    fillMask(whole, 0, 64, 0.5, 7, 0);
    const part = drawMask({ shape: [2, 9], keepProb: 0.5, seed: 7, first: 21 });
    expect(Array.from(part.dataSync())).toEqual(Array.from(whole.subarray(21, 39)));
    part.dispose();
  });
});

describe('elementwise.wasm.ts', () => {
  it('holds what elementwise.wat assembles to (node scripts/build-wasm.mjs)', async () => {
    const committed = readFileSync('src/runtime/kernels/wasm/simd/elementwise.wasm.ts', 'utf8');
    expect(committed).toBe(await assemble());
  });
});
