/**
 * Baselines run in a child process on tfjs's stock kernels (graphc's own
 * replace tfjs's process-wide): a request comes back timed, with progress, and
 * a failing one is GC732 naming the cause.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { childProcessRunner, type BaselineRequest } from '../../../src/tools/bench/baselines/index.js';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';

const request: BaselineRequest = {
  model: 'gru',
  params: { hidden_size: 4, layer_num: 1, input_size: 28, timestep_size: 28, class_num: 10 },
  optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  plan: { warmup: 1, steps: 2, evalBatches: 1, batchSize: 10, evalBatchSize: 10, clock: 'wall' },
  backend: 'wasm',
  seed: 1,
};

describe('the baseline child process', () => {
  const runner = childProcessRunner();
  afterAll(() => runner.close());

  it('times a baseline and reports progress', async () => {
    const phases = new Set<string>();
    const result = await runner.run(request, (phase) => phases.add(phase));
    expect(result.description).toMatch(/gru/);
    expect(result.parameters).toBeGreaterThan(0);
    expect(result.times.train).toHaveLength(2);
    expect(result.times.eval).toHaveLength(1);
    expect([...phases]).toEqual(expect.arrayContaining(['warm-up', 'train', 'eval']));
  });

  it('a request that fails is GC732, and the child serves the next one', async () => {
    const error = await runner.run({ ...request, model: 'no-such-model' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphcError);
    expect((error as GraphcError).diagnostics[0]!.code).toBe('GC732');
    expect((error as GraphcError).diagnostics[0]!.message).toMatch(/failed: no baseline for 'no-such-model'/);
    expect((await runner.run(request)).times.train).toHaveLength(2);
  });
});
