/**
 * `graphc bench --gemm`: the Bi-GRU step's product shapes (each product of
 * gru_math.ts counted per step), timed in both GEMMs with GFLOP/s side by side.
 */
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { benchGemm, bigruShapes, BIGRU_SIZES, formatGemmBench, stepGemmMs } from '../../../src/tools/bench/gemm.js';
import { DEFAULT_GEMM_VARIANT, GEMM_VARIANTS } from '../../../src/runtime/kernels/wasm/simd/gemm.variants.js';

describe('the Bi-GRU step\'s GEMMs', () => {
  it('count every product of a step once', () => {
    const shapes = bigruShapes(BIGRU_SIZES);
    const { steps: t, batch: b, units: h, inputSize: i } = BIGRU_SIZES;
    const flops = shapes.reduce((sum, s) => sum + s.perStep * 2 * s.m * s.k * s.n, 0);
    // Per direction and layer of input size f: forward x·W (3H columns) and the recurrent products (T−1 steps),
    // backward the recurrent products (gates: H·2H and candidate H·H), the weight gradients (x and h) and dx.
    const perCell = (f: number): number =>
      2 * t * b * f * 3 * h + 2 * (t - 1) * b * h * 3 * h + 2 * (t - 1) * b * 3 * h * h + 2 * f * t * b * 3 * h + 2 * h * t * b * 3 * h + 2 * t * b * 3 * h * f;
    expect(flops).toBe(2 * perCell(i) + 2 * perCell(2 * h));
    expect(shapes.find((s) => s.m === b && s.k === h && s.n === 2 * h)?.perStep).toBe(4 * (t - 1));
  });

  it('times each shape in XNNPACK and every variant of graphc\'s GEMM, with the planner\'s choice and the ceiling', async () => {
    const sizes = { steps: 3, inputSize: 5, units: 8, layers: 1, batch: 4 };
    const result = await benchGemm(bigruShapes(sizes).slice(0, 3), { samples: 3, sampleMs: 1 });
    expect(result.rows).toHaveLength(3);
    for (const row of result.rows) {
      expect(row.xnnpack).toBeGreaterThan(0);
      expect(Object.keys(row.variants)).toEqual(GEMM_VARIANTS.map((v) => v.name));
      for (const gflops of Object.values(row.variants)) expect(gflops).toBeGreaterThan(0);
      // These products are too small to plan: the default variant runs them.
      expect(row.chosen).toBe(DEFAULT_GEMM_VARIANT);
      expect(row.graphc).toBe(row.variants[DEFAULT_GEMM_VARIANT]);
    }
    const step = stepGemmMs(result.rows);
    expect(step.xnnpack).toBeGreaterThan(0);
    const text = formatGemmBench(result, sizes);
    expect(text).toContain(`| product | [m, k] @ [k, n] | per step | XNNPACK | ${GEMM_VARIANTS.map((v) => v.name).join(' | ')} | planner's choice | chosen / XNNPACK |`);
    expect(text).toContain('| input projection (gates) | [12, 5] @ [5, 16] | 2 |');
    expect(text).toContain(`| ${DEFAULT_GEMM_VARIANT} (m16-k8-n16) |`);
    expect(text).toMatch(/one step's GEMMs: XNNPACK \d+\.\d ms, graphc \d+\.\d ms in the planner's choices/);
    expect(text).toMatch(/one step's GEMMs in each variant alone \(ms\): r4-k256-m96 \d+\.\d, r2-k256-m96 \d+\.\d/);
    expect(text).toMatch(/\nceiling: (\d+\.\d GFLOP\/s per core, \d+\.\d on \d+ cores|unknown)/);
    expect(text).toMatch(/\nplanner: variant/);
    expect(text).toContain("graphc's relaxed-SIMD FMA GEMM, 1 thread");
    expect(text).toContain('1 thread; medians of 3 samples per side, alternating');
  });
});
