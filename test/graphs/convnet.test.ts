/**
 * graphs/convnet.yaml compiles, and a few steps at small sizes lower the
 * loss (the full run to 0.99 is in docs/usage.md).
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { runModel } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };

describe('graphs/convnet.yaml', () => {
  it('compiles with batch_norm state, and 30 steps at 4 and 8 filters lower the loss', async () => {
    const model = await importVariant('graphs/convnet.yaml', ['conv1_filters=4', 'conv2_filters=8']);
    expect(model.memory?.state).toBe(2 * (4 + 8));
    const random = new RandomStream(1, 'data');
    const { train, test } = loadMnist({ random });
    const losses: number[] = [];
    const result = await runModel(model, {
      ...quiet,
      backend: 'wasm',
      steps: 30,
      batchSize: 32,
      evalEvery: 30,
      evalBatches: 4,
      data: { train, test, random },
      onStep: (_step, metrics) => metrics && losses.push(metrics['cost']!),
    });
    expect(losses).toHaveLength(30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The last five steps' loss well below the first five's (it starts near ln 10 ≈ 2.3 and more).
    expect(mean(losses.slice(-5))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));
    // Not the test accuracy: after 30 steps the moving variance (momentum 0.9) still holds 0.9^30 ≈ 0.04 of its initial 1, several times conv1's variance.
    expect(result.steps).toBe(30);
  });
});
