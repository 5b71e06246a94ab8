/**
 * Data-parallel training (--workers) must follow the curve of one worker:
 * same seed → same metrics within float tolerance, with dropout on (the
 * spec's keep_prob 0.5), for even and uneven splits of the batch.
 */
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { loadMnist } from '../../../src/runtime/data/index.js';
import { splitRows } from '../../../src/runtime/parallel/protocol.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { runModel, type RunOptions } from '../../../src/runtime/trainer.js';
import type { AnyCompiledModel } from '../../../src/runtime/model.js';
import { importVariant } from '../../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };

function data(): NonNullable<RunOptions['data']> {
  const random = new RandomStream(4, 'data');
  const mnist = loadMnist({ random });
  return { train: mnist.train, test: mnist.test, random };
}

async function curve(model: AnyCompiledModel, workers: number): Promise<number[]> {
  const result = await runModel(model, { ...quiet, backend: 'wasm', steps: 6, evalEvery: 3, evalBatches: 2, batchSize: 25, seed: 4, data: data(), workers });
  return result.evaluations.flatMap((e) => [e.train['cost']!, e.train['acc']!, e.test['cost']!, e.test['acc']!]);
}

async function failure(promise: Promise<unknown>): Promise<GraphcError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphcError);
  return error as GraphcError;
}

describe('training with worker threads', () => {
  it('splits a batch into contiguous, nearly equal parts', () => {
    expect(splitRows(100, 2)).toEqual([{ offset: 0, size: 50 }, { offset: 50, size: 50 }]);
    expect(splitRows(25, 3)).toEqual([{ offset: 0, size: 9 }, { offset: 9, size: 8 }, { offset: 17, size: 8 }]);
    expect(splitRows(2, 3).map((s) => s.size)).toEqual([1, 1, 0]);
  });

  it('gives the training curve of one worker with 2 and 3 workers (block_gru, dropout on)', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=2']);
    const one = await curve(model, 1);
    for (const workers of [2, 3]) {
      const many = await curve(model, workers);
      expect(many).toHaveLength(one.length);
      many.forEach((v, i) => expect(Math.abs(v - one[i]!), `value ${i} with ${workers} workers: ${v} vs ${one[i]}`).toBeLessThan(1e-5));
    }
    // The run learned something, so the comparison covered real updates.
    expect(one[8]!).not.toBe(one[0]!);
  });

  it('a worker that cannot load the module stops the run with GC730', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    const broken = { ...model, url: new URL('./no-such-module.ts', model.url).href };
    const error = await failure(runModel(broken, { ...quiet, backend: 'wasm', steps: 2, workers: 2, data: data() }));
    expect(error.diagnostics[0]!.code).toBe('GC730');
    expect(error.diagnostics[0]!.message).toMatch(/^training worker [01] failed: .*no-such-module/);
  });

  it('a module compiled without its own URL cannot train with workers (GC731)', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    const { url: _url, ...old } = model;
    const error = await failure(runModel(old, { ...quiet, backend: 'wasm', steps: 2, workers: 2, data: data() }));
    expect(error.diagnostics[0]!.code).toBe('GC731');
    expect(error.diagnostics[0]!.message).toMatch(/compiled by an older graphc/);
  });
});
