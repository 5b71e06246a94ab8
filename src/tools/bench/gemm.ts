/**
 * `graphc bench --gemm`: the GEMMs of one Bi-GRU training step (bigru.yaml's
 * sizes: 28 steps of 28 inputs, 2 bidirectional layers of 256 units, batch
 * 100 unless --batch-size), each timed in graphc's relaxed-SIMD GEMM and in
 * tfjs-wasm's XNNPACK GEMM on the same heap data, alternating, GFLOP/s
 * medians side by side. B is packed once on both sides (XNNPACK caches its
 * packing by tensor id, as the kernels' repeated products do), so the figures
 * are the products' own.
 */
import { initBackend, type BackendInfo } from '../../runtime/backends.js';
import { WasmHeap } from '../../runtime/kernels/wasm/heap.js';
import { gemmSupport } from '../../runtime/kernels/wasm/simd/gemm.js';
import { tf } from '../../runtime/tf.js';
import { markdownTable } from './format.js';
import { summarize } from './stats.js';

/** One product shape of the step, [m, k] @ [k, n], and how many times a step computes it. */
export interface GemmShape {
  readonly what: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly perStep: number;
}

export interface GemmSizes {
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
  readonly layers: number;
  readonly batch: number;
}

export const BIGRU_SIZES: GemmSizes = { steps: 28, inputSize: 28, units: 256, layers: 2, batch: 100 };

/**
 * The products of a bidirectional block_gru stack's training step
 * (recurrent/gru_math.ts), per direction and layer: the input projections,
 * the per-step recurrent products forward and backward, the weight
 * gradients and the input gradient.
 */
export function bigruShapes(s: GemmSizes): GemmShape[] {
  const rows = s.steps * s.batch;
  const h = s.units;
  const shapes = new Map<string, { names: Set<string>; m: number; k: number; n: number; perStep: number }>();
  const add = (what: string, m: number, k: number, n: number, count: number): void => {
    const key = `${m},${k},${n}`;
    const seen = shapes.get(key) ?? { names: new Set<string>(), m, k, n, perStep: 0 };
    seen.names.add(what);
    seen.perStep += count;
    shapes.set(key, seen);
  };
  for (let layer = 0; layer < s.layers; layer++) {
    const f = layer === 0 ? s.inputSize : 2 * h;
    const directions = 2;
    for (let d = 0; d < directions; d++) {
      add('input projection (gates)', rows, f, 2 * h, 1);
      add('input projection (candidate)', rows, f, h, 1);
      add('recurrent (gates)', s.batch, h, 2 * h, s.steps - 1);
      add('recurrent (candidate), its gradient', s.batch, h, h, 2 * (s.steps - 1));
      add('recurrent gradient (gates)', s.batch, 2 * h, h, s.steps - 1);
      add('weight gradient, x (gates)', f, rows, 2 * h, 1);
      add('weight gradient, x (candidate)', f, rows, h, 1);
      add('weight gradient, h (gates)', h, rows, 2 * h, 1);
      add('weight gradient, h (candidate)', h, rows, h, 1);
      add('input gradient (gates)', rows, 2 * h, f, 1);
      add('input gradient (candidate)', rows, h, f, 1);
    }
  }
  return [...shapes.values()].map(({ names, ...shape }) => ({ what: [...names].join('; '), ...shape }));
}

export interface GemmRow extends GemmShape {
  /** Median GFLOP/s of XNNPACK's GEMM and of graphc's. */
  readonly xnnpack: number;
  readonly graphc: number;
}

export interface GemmBenchResult {
  readonly backend: BackendInfo;
  readonly rows: readonly GemmRow[];
  readonly samples: number;
}

/** Times each shape `samples` times per side, alternating sides, each sample at least `sampleMs` long. */
export async function benchGemm(shapes: readonly GemmShape[], { samples = 7, sampleMs = 30 } = {}): Promise<GemmBenchResult> {
  const support = gemmSupport();
  if (!support.available) throw new Error(`graphc's GEMM is off here: ${support.reason}`);
  const backend = await initBackend('wasm');
  const heap = WasmHeap.of(tf.backend());
  const gemm = heap.gemm!;
  const rows: GemmRow[] = [];
  for (const shape of shapes) {
    const { m, k, n } = shape;
    const [a, b, c] = [m * k, k * n, m * n].map((size) => heap.allocate([size]));
    const data = heap.f32;
    for (const t of [a!, b!]) {
      const at = heap.offsetOf(t) >> 2;
      const size = tf.util.sizeFromShape(t.shape);
      for (let i = 0; i < size; i++) data[at + i] = Math.sin(i * 0.37);
    }
    const packed = heap.packB(gemm, heap.offsetOf(b!) >> 2, n, 1, k, n);
    const [aAt, cAt] = [heap.offsetOf(a!) >> 2, heap.offsetOf(c!) >> 2];
    const [aId, bId, cId] = [a!, b!, c!].map((t) => heap.idOf(t)) as [number, number, number];
    const sides = {
      xnnpack: () => heap.matmul(aId, bId, cId, m, k, n),
      graphc: () => heap.gemmPacked(gemm, aAt, k, packed, false, m, k, n, cAt, n),
    };
    // Repetitions per sample: enough for sampleMs, from one timed call of each side.
    const once = Math.max(time(sides.xnnpack, 1), time(sides.graphc, 1), 1e-3);
    const reps = Math.max(1, Math.ceil(sampleMs / once));
    const times = { xnnpack: [] as number[], graphc: [] as number[] };
    for (let i = 0; i < samples; i++) {
      times.xnnpack.push(time(sides.xnnpack, reps));
      times.graphc.push(time(sides.graphc, reps));
    }
    const gflops = (ms: number): number => (2 * m * k * n) / (ms * 1e6);
    rows.push({ ...shape, xnnpack: gflops(summarize(times.xnnpack).median), graphc: gflops(summarize(times.graphc).median) });
    for (const t of [a!, b!, c!, packed]) heap.free(t);
    // Let the event loop breathe between shapes (progress, signals).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { backend, rows, samples };
}

/** Milliseconds per call of f, over reps calls. */
function time(f: () => void, reps: number): number {
  const start = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - start) / reps;
}

/** Time a step spends in its GEMMs on each side, from the medians (ms). */
export function stepGemmMs(rows: readonly GemmRow[]): { xnnpack: number; graphc: number } {
  const ms = (gflops: number, r: GemmRow): number => (r.perStep * 2 * r.m * r.k * r.n) / (gflops * 1e6);
  return {
    xnnpack: rows.reduce((sum, r) => sum + ms(r.xnnpack, r), 0),
    graphc: rows.reduce((sum, r) => sum + ms(r.graphc, r), 0),
  };
}

export function formatGemmBench(result: GemmBenchResult, sizes: GemmSizes): string {
  const header = ['product', '[m, k] @ [k, n]', 'per step', 'XNNPACK GFLOP/s', 'graphc GFLOP/s', 'graphc / XNNPACK'];
  const rows = result.rows.map((r) => [r.what, `[${r.m}, ${r.k}] @ [${r.k}, ${r.n}]`, String(r.perStep), r.xnnpack.toFixed(1), r.graphc.toFixed(1), `${(r.graphc / r.xnnpack).toFixed(2)}×`]);
  const step = stepGemmMs(result.rows);
  return [
    markdownTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'right']),
    '',
    `one step's GEMMs: XNNPACK ${step.xnnpack.toFixed(1)} ms, graphc ${step.graphc.toFixed(1)} ms (${(step.xnnpack / step.graphc).toFixed(2)}× the GFLOP/s)`,
    `shapes: Bi-GRU training step, ${sizes.layers} layer${sizes.layers === 1 ? '' : 's'} × 2 directions of ${sizes.units} units, ${sizes.steps} steps of ${sizes.inputSize} inputs, batch ${sizes.batch}`,
    `backend wasm on ${result.backend.device}; medians of ${result.samples} samples per side, alternating; B packed once on both sides`,
  ].join('\n');
}
