/**
 * graphs/transformer.yaml compiles and learns: a few steps at small sizes (the
 * full example, 2500 steps at d_model 64, reaches 0.973; see docs/usage.md) lower
 * the test loss from chance's ln 10 ≈ 2.30.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';
import { runModel } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };

describe('graphs/transformer.yaml', () => {
  beforeAll(() => {
    tf.env().set('PROD', true);
  });

  it('d_model 16, 2 heads: 60 steps of 32 lower the test loss at every evaluation', async () => {
    const model = await importVariant('graphs/transformer.yaml', ['d_model=16', 'heads=2', 'ff_units=32']);
    const random = new RandomStream(1, 'data');
    const { train, test } = loadMnist({ random });
    const result = await runModel(model, { ...quiet, backend: 'wasm', steps: 60, batchSize: 32, evalEvery: 20, evalBatches: 16, data: { train, test, random } });
    const costs = result.evaluations.map((e) => e.test['cost']!);
    expect(costs).toHaveLength(3);
    expect(costs[0]).toBeLessThan(Math.log(10));
    expect(costs[1]).toBeLessThan(costs[0]!);
    expect(costs[2]).toBeLessThan(costs[1]!);
  }, 120_000);
});
