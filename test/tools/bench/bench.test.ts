/** runBench and profileModel end to end, at tiny sizes (what they measure is not asserted; that they measure is). */
import { describe, expect, it } from 'vitest';
import { inProcessRunner, type BaselineRequest, type BaselineRunner } from '../../../src/tools/bench/baselines/index.js';
import { runBench, type BenchOptions } from '../../../src/tools/bench/bench.js';
import { profileModel } from '../../../src/tools/bench/profile.js';
import type { Diagnostic } from '../../../src/common/diagnostics/diagnostic.js';
import { tf } from '../../../src/runtime/tf.js';
import { importVariant } from '../../helpers/modules.js';

const tiny: BenchOptions = { backend: 'wasm', steps: 2, evalBatches: 1, warmup: 1, batchSize: 10, seed: 1, baseline: true };

describe('runBench', () => {
  it('times graphc and the baseline per spec, through the runner it is given, with plain-data requests', async () => {
    const requests: BaselineRequest[] = [];
    const inner = inProcessRunner();
    const runner: BaselineRunner = {
      run: (request, onProgress) => {
        requests.push(request);
        return inner.run(request, onProgress);
      },
    };
    const warnings: Diagnostic[] = [];
    const result = await runBench(
      [
        { spec: 'graphs/gru.yaml', set: ['hidden_size=8', 'layer_num=1'] },
        { spec: 'test/fixtures/minimal.yaml', set: [] },
      ],
      { ...tiny, runner, warn: (w) => warnings.push(w) },
    );
    expect(result.backend.name).toBe('wasm');
    const [gru, minimal] = result.rows;
    expect(gru!.model).toBe('gru');
    expect(gru!.params['hidden_size']).toBe(8);
    expect(gru!.train.count).toBe(2);
    expect(gru!.eval.count).toBe(1);
    expect(gru!.train.median).toBeGreaterThan(0);
    expect(gru!.protocol.extrapolated).toBe(true);
    expect(gru!.protocol.seconds).toBeCloseTo((500 * gru!.train.median + 100 * gru!.eval.median) / 1000, 6);
    expect(gru!.baseline!.parameters).toBe(gru!.parameters);
    expect(gru!.baseline!.train.count).toBe(2);
    expect(requests).toHaveLength(1);
    // A runner may live in another process: the request must survive JSON.
    expect(JSON.parse(JSON.stringify(requests[0]))).toEqual(requests[0]);
    expect(requests[0]).toMatchObject({ model: 'gru', backend: 'wasm', plan: { steps: 2, evalBatches: 1, warmup: 1, batchSize: 10, evalBatchSize: 10 } });
    // No baseline is written for a spec named 'minimal': a GC720 warning, and a row without one.
    expect(minimal!.baseline).toBeUndefined();
    expect(warnings.map((w) => w.code)).toEqual(['GC720']);
    expect(warnings[0]!.message).toContain("no hand-written tfjs-layers baseline for a model named 'minimal'");
  });

  it('splits graphc\'s steps across worker threads with workers > 1', async () => {
    const result = await runBench([{ spec: 'graphs/bigru.yaml', set: ['hidden_size=4', 'layer_num=1'] }], { ...tiny, baseline: false, workers: 2 });
    expect(result.rows[0]!.train.count).toBe(2);
    expect(result.rows[0]!.train.median).toBeGreaterThan(0);
  });

  it("feeds each spec its own dataset: Iris's CSV files (its 4 features would not take MNIST's 784)", async () => {
    const result = await runBench([{ spec: 'graphs/iris.yaml', set: [] }], { ...tiny, baseline: false });
    expect(result.rows[0]!.model).toBe('iris');
    expect(result.rows[0]!.train.count).toBe(2);
    // 121 rows per batch is more than Iris's 120 training flowers: refused before timing.
    await expect(runBench([{ spec: 'graphs/iris.yaml', set: [] }], { ...tiny, baseline: false, batchSize: 121 })).rejects.toMatchObject({ diagnostics: [{ code: 'GC709' }] });
  });

  it('leaves no tensors behind (the baseline runs in its own process by default)', async () => {
    const before = tf.memory().numTensors;
    await runBench([{ spec: 'graphs/cnn.yaml', set: ['conv1_features=2', 'conv2_features=2', 'fc_units=4'] }], tiny);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('profileModel', () => {
  it('lists registered kernels only, costliest first, for graphc and the baseline', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=4', 'layer_num=1']);
    const result = await profileModel(model, { backend: 'wasm', warmup: 1, batchSize: 10, seed: 1, baseline: true });
    for (const profile of [result.graphc, result.baseline!]) {
      expect(profile.kernels.length).toBeGreaterThan(3);
      expect(profile.kernels.every((k) => tf.getKernel(k.name, 'wasm') !== undefined)).toBe(true);
      expect(profile.kernels.map((k) => k.totalMs)).toEqual([...profile.kernels.map((k) => k.totalMs)].sort((a, b) => b - a));
      expect(profile.kernelMs).toBeCloseTo(profile.kernels.reduce((s, k) => s + k.totalMs, 0), 6);
      expect(profile.stepMs).toBeGreaterThan(0);
      expect(profile.kernelMs).toBeLessThanOrEqual(profile.profiledMs);
    }
    expect(result.graphc.kernels.map((k) => k.name)).toContain('BatchMatMul');
    expect(result.baseline!.description).toBe('tf.layers.bidirectional(gru) × 1');
  });
});
