/**
 * `graphc bench --gemm`: the GEMMs of one Bi-GRU training step (bigru.yaml's
 * sizes: 28 steps of 28 inputs, 2 bidirectional layers of 256 units, batch
 * 100 unless --batch-size), each timed in every variant of graphc's
 * relaxed-SIMD GEMM and in tfjs-wasm's XNNPACK GEMM on the same heap data,
 * alternating, GFLOP/s medians side by side, with the planner's choice for
 * the shape (planned first if this machine's plan has no choice for it yet)
 * and the machine's ceiling. B is packed once on all sides (XNNPACK caches
 * its packing by tensor id, as the kernels' repeated products do), so the
 * figures are the products' own.
 */
import { initBackend, type BackendInfo } from '../../runtime/backends.js';
import { WasmHeap } from '../../runtime/kernels/wasm/heap.js';
import { gemmPlanner, gemmSupport } from '../../runtime/kernels/wasm/simd/gemm.js';
import { shapeClass } from '../../runtime/kernels/wasm/simd/gemm_plan.js';
import { GEMM_VARIANTS } from '../../runtime/kernels/wasm/simd/gemm.variants.js';
import { describeCeiling, machineCeiling, type Ceiling } from './ceiling.js';
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
  /** Median GFLOP/s of XNNPACK's GEMM, and of graphc's in the variant the planner chose (`chosen`). */
  readonly xnnpack: number;
  readonly graphc: number;
  readonly chosen: string;
  /** Median GFLOP/s of every variant of graphc's GEMM. */
  readonly variants: Readonly<Record<string, number>>;
}

export interface GemmBenchResult {
  readonly backend: BackendInfo;
  readonly rows: readonly GemmRow[];
  readonly samples: number;
  readonly ceiling: Ceiling;
  /** The planner's line (where its plan is). */
  readonly plan: string;
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
    // The planner's choice for this shape: from the plan, or timed now on these operands (as a training step would).
    heap.gemmPacked(gemm, aAt, k, packed, false, m, k, n, cAt, n);
    const chosen = gemmPlanner().variantFor(m, k, n, () => {
      throw new Error('planned just before');
    });
    const sides: Record<string, () => void> = { xnnpack: () => heap.matmul(aId, bId, cId, m, k, n) };
    for (const { name } of GEMM_VARIANTS) sides[name] = () => heap.gemmPacked(gemm, aAt, k, packed, false, m, k, n, cAt, n, false, name);
    const names = Object.keys(sides);
    // Repetitions per sample: enough for sampleMs, from one timed call of each side.
    const once = Math.max(...names.map((name) => time(sides[name]!, 1)), 1e-3);
    const reps = Math.max(1, Math.ceil(sampleMs / once));
    const times = new Map(names.map((name) => [name, [] as number[]]));
    for (let i = 0; i < samples; i++) for (const name of names) times.get(name)!.push(time(sides[name]!, reps));
    const gflops = (name: string): number => (2 * m * k * n) / (summarize(times.get(name)!).median * 1e6);
    const variants = Object.fromEntries(GEMM_VARIANTS.map(({ name }) => [name, gflops(name)]));
    rows.push({ ...shape, xnnpack: gflops('xnnpack'), graphc: variants[chosen]!, chosen, variants });
    for (const t of [a!, b!, c!, packed]) heap.free(t);
    // Let the event loop breathe between shapes (progress, signals).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { backend, rows, samples, ceiling: machineCeiling(), plan: gemmPlanner().describe() };
}

/** Milliseconds per call of f, over reps calls. */
function time(f: () => void, reps: number): number {
  const start = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - start) / reps;
}

const msAt = (gflops: number, r: GemmShape): number => (r.perStep * 2 * r.m * r.k * r.n) / (gflops * 1e6);

/** Time a step spends in its GEMMs on each side (graphc: in the planner's choices), from the medians (ms). */
export function stepGemmMs(rows: readonly GemmRow[]): { xnnpack: number; graphc: number } {
  return {
    xnnpack: rows.reduce((sum, r) => sum + msAt(r.xnnpack, r), 0),
    graphc: rows.reduce((sum, r) => sum + msAt(r.graphc, r), 0),
  };
}

/** Time a step spends in its GEMMs in each variant alone (ms). */
export function stepGemmMsByVariant(rows: readonly GemmRow[]): Map<string, number> {
  return new Map(GEMM_VARIANTS.map(({ name }) => [name, rows.reduce((sum, r) => sum + msAt(r.variants[name]!, r), 0)]));
}

export function formatGemmBench(result: GemmBenchResult, sizes: GemmSizes): string {
  const names = GEMM_VARIANTS.map((v) => v.name);
  const header = ['product', '[m, k] @ [k, n]', 'per step', 'XNNPACK', ...names, "planner's choice", 'chosen / XNNPACK'];
  const rows = result.rows.map((r) => [
    r.what,
    `[${r.m}, ${r.k}] @ [${r.k}, ${r.n}]`,
    String(r.perStep),
    r.xnnpack.toFixed(1),
    ...names.map((name) => r.variants[name]!.toFixed(1)),
    `${r.chosen} (${shapeClass(r.m, r.k, r.n)})`,
    `${(r.graphc / r.xnnpack).toFixed(2)}×`,
  ]);
  const step = stepGemmMs(result.rows);
  const byVariant = [...stepGemmMsByVariant(result.rows)].map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ');
  const c = result.ceiling;
  const recurrent = result.rows.filter((r) => r.m === sizes.batch && r.k === sizes.units);
  const share = (gflops: number): string => (c.perCore === undefined ? '' : ` (${((100 * gflops) / c.perCore).toFixed(0)}% of one core's ceiling)`);
  const recurrentLine = recurrent.length
    ? [`recurrent products [${sizes.batch}, ${sizes.units}] @ [${sizes.units}, n], planner's choices: ${recurrent.map((r) => `${r.graphc.toFixed(1)}${share(r.graphc)}`).join(', ')} GFLOP/s`]
    : [];
  return [
    'GFLOP/s medians:',
    '',
    markdownTable(header, rows, ['left', 'left', 'right', 'right', ...names.map(() => 'right' as const), 'left', 'right']),
    '',
    `one step's GEMMs: XNNPACK ${step.xnnpack.toFixed(1)} ms, graphc ${step.graphc.toFixed(1)} ms in the planner's choices (${(step.xnnpack / step.graphc).toFixed(2)}× the GFLOP/s)`,
    `one step's GEMMs in each variant alone (ms): ${byVariant}`,
    ...recurrentLine,
    describeCeiling(c),
    `planner: ${result.plan}`,
    `shapes: Bi-GRU training step, ${sizes.layers} layer${sizes.layers === 1 ? '' : 's'} × 2 directions of ${sizes.units} units, ${sizes.steps} steps of ${sizes.inputSize} inputs, batch ${sizes.batch}`,
    `backend wasm on ${result.backend.device}; medians of ${result.samples} samples per side, alternating; B packed once on all sides`,
  ].join('\n');
}
