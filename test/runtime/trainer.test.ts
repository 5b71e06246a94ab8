import { beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';
import type { Evaluation } from '../../src/runtime/run_folder.js';
import { runModel } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };

describe('trainer', () => {
  beforeAll(() => {
    tf.env().set('PROD', true);
  });

  it('learns MNIST well above chance on a tiny Bi-GRU (hidden 32, 1 layer, 300 steps)', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=32', 'layer_num=1']);
    const result = await runModel(model, { ...quiet, backend: 'wasm', steps: 300, evalEvery: 300, evalBatches: 100 });
    const final = result.evaluations.at(-1)!;
    // Chance is 0.1; this configuration reaches about 0.8 at step 300 (seed 1).
    expect(final.test['acc']).toBeGreaterThan(0.6);
    expect(final.test['cost']).toBeLessThan(0.15);
  });

  it('holds no more tensors after step 200 than after step 10', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=2']);
    const counts = new Map<number, number>();
    await runModel(model, { ...quiet, backend: 'wasm', steps: 200, evalEvery: 50, evalBatches: 1, onStep: (step) => counts.set(step, tf.memory().numTensors) });
    expect(counts.get(200)).toBe(counts.get(10));
  });

  it('is reproducible: the same seed gives the same metrics, another seed different ones', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    const run = async (seed: number): Promise<readonly Evaluation[]> =>
      (await runModel(model, { ...quiet, backend: 'cpu', steps: 6, evalEvery: 3, evalBatches: 1, seed })).evaluations;
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b.map((e) => [e.train, e.test])).toEqual(a.map((e) => [e.train, e.test]));
    expect(c.map((e) => e.test)).not.toEqual(a.map((e) => e.test));
  });

  it('gives gru and block_gru the same training curve (same seed, same weights, same masks)', async () => {
    const data = () => {
      const random = new RandomStream(3, 'data');
      const mnist = loadMnist({ random });
      return { train: mnist.train, test: mnist.test, random };
    };
    const curve = async (cell: string): Promise<number[]> => {
      const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=2', `cell_type=${cell}`]);
      const result = await runModel(model, { ...quiet, backend: 'cpu', steps: 10, evalEvery: 5, evalBatches: 2, seed: 3, data: data() });
      return result.evaluations.flatMap((e) => [e.train['cost']!, e.test['cost']!, e.test['acc']!]);
    };
    const gru = await curve('gru');
    const block = await curve('block_gru');
    block.forEach((v, i) => expect(v).toBeCloseTo(gru[i]!, 4));
  });

  it('stops with GC703 naming the step and the node when the loss is not finite', async () => {
    const model = await importVariant('test/fixtures/nan-loss.yaml', []);
    const error = await runModel(model, { ...quiet, backend: 'cpu' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphcError);
    expect((error as GraphcError).diagnostics[0]!.message).toBe("the loss 'loss' became NaN at step 1; training stopped");
    expect((error as GraphcError).diagnostics[0]!.code).toBe('GC703');
  });
});
