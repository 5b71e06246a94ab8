import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { checkpointPath, readCheckpoint, readCheckpointHeader } from '../../src/runtime/checkpoint.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import type { Evaluation } from '../../src/runtime/run_folder.js';
import { runModel, type RunOptions } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };
const schedule = { backend: 'wasm', steps: 12, evalEvery: 4, evalBatches: 2, seed: 9 } as const;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'graphc-ckpt-'));
const data = (): NonNullable<RunOptions['data']> => {
  const random = new RandomStream(9, 'data');
  const mnist = loadMnist({ random });
  return { train: mnist.train, test: mnist.test, random };
};
const metrics = (evaluations: readonly Evaluation[]) => evaluations.map((e) => ({ step: e.step, train: e.train, test: e.test }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphcError) return error.diagnostics[0]!.code;
    throw error;
  }
  return undefined;
}

describe('checkpoints and resume', () => {
  it('a run interrupted at step 6 and resumed gives the same metrics as the uninterrupted run', async () => {
    // Dropout on (train keep_prob 0.5), two layers: every random stream matters.
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=2']);
    const whole = await runModel(model, { ...quiet, ...schedule, out: tmp(), data: data() });

    const dir = tmp();
    const controller = new AbortController();
    const first = await runModel(model, {
      ...quiet,
      ...schedule,
      out: dir,
      data: data(),
      signal: controller.signal,
      onStep: (step) => step === 6 && controller.abort(),
    });
    expect(first.interrupted).toBe(true);
    expect(first.steps).toBe(6);
    const checkpoint = readCheckpoint(dir);
    expect(checkpoint.header.step).toBe(6);

    // A fresh process would reload MNIST: so does the resumed run here.
    const resumed = await runModel(model, { ...quiet, backend: 'wasm', out: dir, resume: checkpoint, data: data() });
    expect(resumed.interrupted).toBe(false);
    expect(metrics(resumed.evaluations)).toEqual(metrics(whole.evaluations));
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Evaluation).step)).toEqual([4, 8, 12]);
  });

  it('keeps weights, optimizer slots, step, data order and random streams', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    const dir = tmp();
    await runModel(model, { ...quiet, ...schedule, steps: 4, out: dir, data: data() });
    const { header, payload } = readCheckpoint(dir);
    expect(header.step).toBe(4);
    expect(header.variables.map((v) => v.name)).toEqual([
      'outputs/layer_0/fw/gates/kernel',
      'outputs/layer_0/fw/gates/bias',
      'outputs/layer_0/fw/candidate/kernel',
      'outputs/layer_0/fw/candidate/bias',
      'outputs/layer_0/bw/gates/kernel',
      'outputs/layer_0/bw/gates/bias',
      'outputs/layer_0/bw/candidate/kernel',
      'outputs/layer_0/bw/candidate/bias',
      'W',
      'bias',
    ]);
    expect(header.optimizer).toMatchObject({ type: 'adam', step: 4 });
    expect(header.optimizer.slots.map((s) => s.name).slice(0, 2)).toEqual(['outputs/layer_0/fw/gates/kernel/m', 'outputs/layer_0/fw/gates/kernel/v']);
    expect(header.data.train.indexInEpoch).toBe(4 * 100);
    expect(header.random.dropout.s).toHaveLength(4);
    const floats = [...header.variables, ...header.optimizer.slots].reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);
    expect(payload.length).toBe(floats);
    // The header alone, without reading the payload (graphc board reads it for every run).
    expect(readCheckpointHeader(dir)).toEqual(header);
  });

  it('refuses to resume a different model configuration (GC708)', async () => {
    const dir = tmp();
    const small = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    await runModel(small, { ...quiet, ...schedule, steps: 2, out: dir, data: data() });
    const other = await importVariant('graphs/bigru.yaml', ['hidden_size=6', 'layer_num=1']);
    const error = await runModel(other, { ...quiet, backend: 'cpu', resume: readCheckpoint(dir) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphcError);
    expect((error as GraphcError).diagnostics[0]!.code).toBe('GC708');
    expect((error as GraphcError).diagnostics[0]!.message).toContain('hidden_size=8');
  });

  it('a damaged checkpoint is GC707 naming the file and the problem', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    const dir = tmp();
    await runModel(model, { ...quiet, ...schedule, steps: 2, out: dir, data: data() });
    const bytes = readFileSync(checkpointPath(dir));

    writeFileSync(checkpointPath(dir), bytes.subarray(0, bytes.length - 100));
    expect(codeOf(() => readCheckpoint(dir))).toBe('GC707');
    writeFileSync(checkpointPath(dir), Buffer.concat([Buffer.from('NOTACKPT'), bytes.subarray(8)]));
    expect(() => readCheckpoint(dir)).toThrow(/checkpoint\.gck: not a graphc checkpoint \(bad magic\)/);
    expect(readCheckpointHeader(dir)).toBeUndefined();
    expect(codeOf(() => readCheckpoint(tmp()))).toBe('GC707');
    expect(readCheckpointHeader(tmp())).toBeUndefined();
  });
});
