/**
 * A checkpoint records what computed the run (backend, device, worker count),
 * and a resume keeps them unless told otherwise: another worker count sums a
 * batch's gradients in another order, and the metrics then differ in their
 * last bits (issue 29). A resume that changes them is warned (GC717).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { runModel, type RunOptions } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const schedule = { steps: 4, evalEvery: 2, evalBatches: 1, seed: 3 } as const;
const data = (): NonNullable<RunOptions['data']> => {
  const random = new RandomStream(3, 'data');
  const mnist = loadMnist({ random });
  return { train: mnist.train, test: mnist.test, random };
};

describe('resume keeps the arithmetic of the run', () => {
  it('the checkpoint records backend, device and workers; a resume on the same says nothing, on another backend warns GC717', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=4', 'layer_num=1']);
    const dir = join(mkdtempSync(join(tmpdir(), 'graphc-arith-')), 'run');
    const controller = new AbortController();
    await runModel(model, { ...schedule, backend: 'cpu', print: () => {}, status: () => {}, out: dir, data: data(), signal: controller.signal, onStep: (s) => s === 2 && controller.abort() });
    const header = readCheckpoint(dir).header;
    expect(header.computed).toMatchObject({ backend: 'cpu', workers: 1 });
    expect(header.computed!.device).toContain('plain JavaScript');

    // Asked for `auto` (the CLI's default) and no worker count: the run's cpu backend, silently.
    const same: string[] = [];
    await runModel(model, { backend: 'auto', workers: 4, workersGiven: false, print: () => {}, status: (l) => same.push(l), out: dir, resume: readCheckpoint(dir), steps: 3, data: data() });
    expect(same.join('\n')).toContain('graphc: backend cpu on');
    expect(same.join('\n')).not.toContain('GC717');

    const other: string[] = [];
    await runModel(model, { backend: 'wasm', print: () => {}, status: (l) => other.push(l), out: dir, resume: readCheckpoint(dir), data: data() });
    expect(other).toContainEqual(expect.stringMatching(/^graphc: warning GC717: resumed with backend wasm where the run had cpu until step 3: from here its metrics will differ in the last bits/));
  }, 120_000);
});
