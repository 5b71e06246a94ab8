/**
 * `graphc bench --baseline pytorch` on a real python3 child (the interpreter
 * GRAPHC_PYTHON names, else python3): each spec's model in PyTorch timed by
 * the protocol, its threads pinned and said; without torch a skip, not a
 * failure; a script failure is GC743. The tests that need torch are skipped
 * only where the interpreter cannot import it (CI installs Debian's python3-torch).
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runBench } from '../../../src/tools/bench/bench.js';
import { formatReport } from '../../../src/tools/bench/report.js';
import { pythonCommand, runPytorchBaseline } from '../../../src/tools/bench/pytorch/runner.js';
import type { Diagnostic } from '../../../src/common/diagnostics/diagnostic.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { importVariant } from '../../helpers/modules.js';

const hasTorch = spawnSync(pythonCommand(), ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

const plan = { warmup: 1, steps: 2, evalBatches: 1, batchSize: 8, evalBatchSize: 8, clock: 'wall' } as const;
const adam = { type: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
const recurrent = { input_size: 28, timestep_size: 28, hidden_size: 8, layer_num: 2, class_num: 10 };

const request = (model: string, params: Record<string, number | string>, threads = 1) =>
  ({ model, params, optimizer: adam, plan, backend: 'wasm', seed: 1, threads }) as const;

const saved = process.env.GRAPHC_PYTHON;
afterEach(() => {
  if (saved === undefined) delete process.env.GRAPHC_PYTHON;
  else process.env.GRAPHC_PYTHON = saved;
});

// CI sets GRAPHC_REQUIRE_TORCH=1: there a python3 without torch is a failure, not a skip.
it.runIf(!hasTorch && process.env.GRAPHC_REQUIRE_TORCH === '1')('has an interpreter with torch (GRAPHC_REQUIRE_TORCH=1)', () => {
  expect.fail(`GRAPHC_REQUIRE_TORCH=1 but ${pythonCommand()} cannot import torch`);
});

describe.skipIf(!hasTorch)('the PyTorch baseline (python3 with torch)', () => {
  for (const [model, params] of [
    ['bigru', recurrent],
    ['gru', recurrent],
    ['lstm', recurrent],
    ['cnn', { conv1_features: 2, conv2_features: 2, fc_units: 8, class_num: 10 }],
    ['transformer', { d_model: 8, heads: 2, ff_units: 16, class_num: 10 }],
  ] as const) {
    it(`times ${model} by the protocol, threads pinned and said`, async () => {
      const phases = new Set<string>();
      const outcome = await runPytorchBaseline(request(model, params, 2), (phase) => phases.add(phase));
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      const { result } = outcome;
      expect(result.times.train).toHaveLength(2);
      expect(result.times.eval).toHaveLength(1);
      for (const ms of [...result.times.train, ...result.times.eval]) expect(ms).toBeGreaterThan(0);
      expect(result.parameters).toBeGreaterThan(0);
      expect(result.description).toMatch(/^PyTorch \S+ nn\./);
      expect(result.description).toContain('2 threads (torch.set_num_threads(2); OMP_NUM_THREADS=2, MKL_NUM_THREADS=2, OPENBLAS_NUM_THREADS=2)');
      expect([...phases]).toEqual(['warm-up', 'train', 'eval']);
    }, 60_000);
  }

  it('bigru is nn.GRU, bidirectional, with the spec\'s parameter count of a GRU with two bias vectors', async () => {
    const outcome = await runPytorchBaseline(request('bigru', { ...recurrent, layer_num: 1 }));
    expect(outcome.ok && outcome.result.description).toContain('nn.GRU(bidirectional, 1 layer)');
    // nn.GRU: per direction 3·H·(I + H) weights and 2 · 3·H biases; the dense layer 2H · 10 + 10.
    const [h, i] = [8, 28];
    expect(outcome.ok && outcome.result.parameters).toBe(2 * (3 * h * (i + h) + 6 * h) + 2 * h * 10 + 10);
  }, 60_000);

  it('transformer is two pre-norm nn.TransformerEncoderLayers with graphs/transformer.yaml\'s parameter count', async () => {
    const outcome = await runPytorchBaseline(request('transformer', { d_model: 8, heads: 2, ff_units: 16, class_num: 10 }));
    expect(outcome.ok && outcome.result.description).toContain('nn.TransformerEncoderLayer(norm_first) × 2');
    // graphc check graphs/transformer.yaml --set d_model=8 --set heads=2 --set ff_units=16: 1,762 parameters.
    expect(outcome.ok && outcome.result.parameters).toBe(1762);
  }, 60_000);

  it('convnet is nn.Conv2d + nn.BatchNorm2d twice with graphs/convnet.yaml\'s parameter count (batch norm\'s moving statistics are not parameters)', async () => {
    const set = { conv1_filters: 4, conv2_filters: 6, class_num: 10 };
    const model = await importVariant('graphs/convnet.yaml', ['conv1_filters=4', 'conv2_filters=6']);
    const init = new Initializer(new RandomStream(1));
    model.createVariables(init);
    const graphcParameters = init.variables().reduce((n, v) => n + v.variable.size, 0);
    [...init.variables(), ...init.stateVariables()].forEach((v) => v.variable.dispose());
    const outcome = await runPytorchBaseline(request('convnet', set));
    expect(outcome.ok && outcome.result.description).toContain('nn.Conv2d + nn.BatchNorm2d × 2 + nn.Linear');
    // 3·3·1·4 + 3·3·4·6 kernels, gamma and beta of 4 and 6 channels, the readout 5·5·6 · 10 + 10.
    expect(graphcParameters).toBe(36 + 216 + 2 * 4 + 2 * 6 + 150 * 10 + 10);
    expect(outcome.ok && outcome.result.parameters).toBe(graphcParameters);
  }, 180_000);

  it('runs beside graphc in graphc bench, with a ratio and the PyTorch footer', async () => {
    const warnings: Diagnostic[] = [];
    const result = await runBench([{ spec: 'graphs/bigru.yaml', set: ['hidden_size=8', 'layer_num=1'] }], {
      backend: 'wasm', steps: 2, evalBatches: 1, warmup: 1, batchSize: 8, seed: 1, baseline: true, baselineKind: 'pytorch', warn: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([]);
    expect(result.baselineKind).toBe('pytorch');
    expect(result.rows[0]!.baseline?.description).toContain('nn.GRU(bidirectional, 1 layer), 1 thread');
    expect(result.rows[0]!.baseline!.train.median).toBeGreaterThan(0);
    const report = formatReport(result);
    expect(report).toContain('| PyTorch ms/step | PyTorch s per protocol | baseline / graphc |');
    expect(report).toContain('baseline: the same models in PyTorch (pytorch/baseline.py) in a python3 process');
  }, 120_000);

  it('a failure of the script is GC743 with its reason', async () => {
    await expect(runPytorchBaseline(request('gru', { ...recurrent, hidden_size: 0 }))).rejects.toThrow(
      "GC743: the PyTorch baseline (pytorch/baseline.py, in a python3 process) failed: ValueError: the PyTorch baseline for 'gru' needs the param 'hidden_size' to be a positive integer (it is 0)",
    );
  }, 60_000);
});

describe('without PyTorch', () => {
  it('an interpreter that is not there is a skip with the reason', async () => {
    process.env.GRAPHC_PYTHON = 'graphc-no-such-python3';
    expect(await runPytorchBaseline(request('gru', recurrent))).toEqual({
      ok: false,
      reason: 'graphc-no-such-python3 is not installed (or not on PATH; GRAPHC_PYTHON names another interpreter)',
    });
  });

  it('graphc bench prints the skip line (GC744) and the row has no ratio', async () => {
    process.env.GRAPHC_PYTHON = 'graphc-no-such-python3';
    const warnings: Diagnostic[] = [];
    const result = await runBench([{ spec: 'graphs/gru.yaml', set: ['hidden_size=4', 'layer_num=1'] }], {
      backend: 'wasm', steps: 1, evalBatches: 1, warmup: 0, batchSize: 4, seed: 1, baseline: true, baselineKind: 'pytorch', warn: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => w.code)).toEqual(['GC744']);
    expect(result.rows[0]!.baseline).toBeUndefined();
  }, 60_000);
});
