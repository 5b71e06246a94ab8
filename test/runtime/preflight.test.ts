/**
 * The checks before step 1 (preflight.ts), and what runModel does with them:
 * a run that cannot succeed is refused before anything is computed or
 * overwritten, with the numbers and what to change.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { writeFaults } from '../../src/common/fs.js';
import { checkpointPath, readCheckpoint } from '../../src/runtime/checkpoint.js';
import { DataSet } from '../../src/runtime/data/dataset.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { backendMemory, checkBatches, checkMemory, clampWorkers, probeRunFolder } from '../../src/runtime/preflight.js';
import { RandomStream } from '../../src/runtime/random.js';
import { readMetrics } from '../../src/runtime/run_folder.js';
import { LOCK_FILE } from '../../src/runtime/run_lock.js';
import { tf } from '../../src/runtime/tf.js';
import { runModel, type RunOptions } from '../../src/runtime/trainer.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };
const GiB = 1024 ** 3;

/** The diagnostic a call fails with: its code and message. */
function failure(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (error) {
    if (error instanceof GraphcError) return { code: error.diagnostics[0]!.code, message: error.diagnostics[0]!.message };
    throw error;
  }
  throw new Error('expected a GraphcError');
}

async function asyncFailure(f: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await f();
  } catch (error) {
    if (error instanceof GraphcError) return { code: error.diagnostics[0]!.code, message: error.diagnostics[0]!.message };
    throw error;
  }
  throw new Error('expected a GraphcError');
}

/** `n` MNIST-shaped examples. */
function smallSet(n: number, random: RandomStream): DataSet {
  const images = new Float32Array(n * 784).map((_, i) => (i % 7) / 7);
  const labels = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) labels[i * 10 + (i % 10)] = 1;
  return new DataSet(images, labels, random);
}

describe('checkBatches', () => {
  const plan = { batchSize: 50, evalBatches: 2, evalBatchSize: 50, evalBatchOption: '--batch-size' };

  it('refuses a training batch larger than the training set (GC709), naming both numbers', () => {
    const f = failure(() => checkBatches({ ...plan, batchSize: 60001 }, { train: 55000, test: 10000 }, () => {}));
    expect(f.code).toBe('GC709');
    expect(f.message).toBe('--batch-size 60001: the train set has only 55000 examples; --batch-size takes at most 55000');
  });

  it('refuses a test batch larger than the test set (GC709), naming the option that set it', () => {
    const f = failure(() => checkBatches({ ...plan, evalBatchSize: 20000, evalBatchOption: "the spec's eval batch_size" }, { train: 55000, test: 10000 }, () => {}));
    expect(f.code).toBe('GC709');
    expect(f.message).toContain("the spec's eval batch_size 20000: the test set has only 10000 examples");
  });

  it('says once (GC710) when an evaluation reads the test set more than once, and nothing when it does not', () => {
    const lines: string[] = [];
    checkBatches({ ...plan, evalBatches: 300, evalBatchSize: 100 }, { train: 55000, test: 10000 }, (l) => lines.push(l));
    expect(lines).toEqual([
      'graphc: warning GC710: each evaluation reads 300 test batches of 100 (30000 examples), 3.0 times the 10000 examples of the test set; lower --eval-batches to 100 to see each example once',
    ]);
    checkBatches({ ...plan, evalBatches: 100, evalBatchSize: 100 }, { train: 55000, test: 10000 }, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
  });
});

describe('clampWorkers', () => {
  it('uses at most one worker per core, and says so (GC712)', () => {
    const lines: string[] = [];
    expect(clampWorkers(64, 100, (l) => lines.push(l), 2)).toBe(2);
    expect(lines).toEqual(['graphc: warning GC712: --workers 64: this machine has 2 cores; using 2 workers']);
  });

  it('uses at most one worker per row of the batch, and says so', () => {
    const lines: string[] = [];
    expect(clampWorkers(4, 3, (l) => lines.push(l), 16)).toBe(3);
    expect(lines).toEqual(['graphc: warning GC712: --workers 4: a batch has 3 rows to share; using 3 workers']);
  });

  it('leaves a count that fits alone, silently', () => {
    const lines: string[] = [];
    expect(clampWorkers(2, 100, (l) => lines.push(l), 4)).toBe(2);
    expect(lines).toEqual([]);
  });
});

describe('checkMemory', () => {
  const model = { parameters: 10, modelBytes: 3 * GiB, bytesPerExample: 1024 ** 2, sizedBy: { param: 'hidden_size', value: 4096 } };

  it('gives wasm 4 GiB (32-bit memory) and the other backends the machine', () => {
    expect(backendMemory('wasm', 64 * GiB)).toEqual({ available: 4 * GiB, limit: 'wasm_memory' });
    expect(backendMemory('wasm', 2 * GiB)).toEqual({ available: 2 * GiB, limit: 'machine_memory' });
    expect(backendMemory('cpu', 64 * GiB)).toEqual({ available: 64 * GiB, limit: 'machine_memory' });
  });

  it('names the param that sizes the model when the model is what does not fit (GC711)', () => {
    const f = failure(() => checkMemory(model, { backend: 'cpu', batchSize: 100, workers: 4 }, 8 * GiB));
    expect(f.code).toBe('GC711');
    expect(f.message).toBe(
      "training needs about 12.1 GiB: 3.0 GiB for the model × 4 workers (parameters, gradients, optimizer slots) and 1.0 MiB per example × 100; this machine has 8.0 GiB of memory; lower the param 'hidden_size' (now 4096), e.g. --set hidden_size=2048",
    );
  });

  it('names --batch-size when the activations are what does not fit, per wasm worker', () => {
    const f = failure(() => checkMemory(model, { backend: 'wasm', batchSize: 8000, workers: 2 }, 64 * GiB));
    expect(f.message).toBe(
      'training needs about 6.9 GiB in each of 2 workers: 3.0 GiB for the model (parameters, gradients, optimizer slots) and 1.0 MiB per example × 4000; the wasm backend can address 4.0 GiB (WebAssembly\'s 32-bit memory); lower --batch-size',
    );
  });

  it('passes a model that fits, and a module without an estimate', () => {
    expect(() => checkMemory(model, { backend: 'wasm', batchSize: 100, workers: 1 }, 64 * GiB)).not.toThrow();
    expect(() => checkMemory(undefined, { backend: 'wasm', batchSize: 10 ** 9, workers: 1 }, GiB)).not.toThrow();
  });
});

describe('probeRunFolder', () => {
  it('writes and removes a probe file in a folder it can write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-probe-'));
    probeRunFolder(dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a place it cannot write (GC713)', () => {
    const f = failure(() => probeRunFolder('/proc/self'));
    expect(f.code).toBe('GC713');
    expect(f.message).toMatch(/^cannot write in \/proc\/self \(.+\); choose a folder you can write to with --out$/);
  });
});


describe('runModel before step 1', () => {
  let model: AnyCompiledModel;
  beforeAll(async () => {
    tf.env().set('PROD', true);
    model = await importVariant('graphs/bigru.yaml', ['hidden_size=4', 'layer_num=1']);
  });

  const small = (train = 40, test = 20) => {
    const random = new RandomStream(1, 'data');
    return { train: smallSet(train, random), test: smallSet(test, random), random };
  };

  it('refuses a batch larger than the training set before any step (GC709)', async () => {
    let steps = 0;
    const f = await asyncFailure(() => runModel(model, { ...quiet, backend: 'cpu', steps: 2, batchSize: 41, data: small(), onStep: () => steps++ }));
    expect(f.code).toBe('GC709');
    expect(steps).toBe(0);
  });

  it('refuses a model larger than the backend can hold before its variables are made (GC711)', async () => {
    const huge = { ...model, memory: { parameters: 1e12, modelBytes: 16e12, bytesPerExample: 1, sizedBy: { param: 'hidden_size', value: 4 } } };
    const f = await asyncFailure(() => runModel(huge, { ...quiet, backend: 'cpu', steps: 2, batchSize: 10, data: small() }));
    expect(f.code).toBe('GC711');
    expect(f.message).toContain("lower the param 'hidden_size'");
  });

  it('refuses --out naming a file (GC713) and leaves the file alone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'graphc-out-')), 'notes.txt');
    writeFileSync(file, 'mine');
    const f = await asyncFailure(() => runModel(model, { ...quiet, backend: 'cpu', steps: 2, out: file, data: small() }));
    expect(f).toEqual({ code: 'GC713', message: `--out ${file} is a file, not a folder; choose a folder for the run` });
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('the run folder', () => {
  let model: AnyCompiledModel;
  beforeAll(async () => {
    tf.env().set('PROD', true);
    model = await importVariant('graphs/bigru.yaml', ['hidden_size=4', 'layer_num=1']);
  });
  const data = () => {
    const random = new RandomStream(1, 'data');
    const mnist = loadMnist({ random });
    return { train: mnist.train, test: mnist.test, random };
  };
  const options = (out: string, more: Partial<RunOptions> = {}): RunOptions => ({ ...quiet, backend: 'cpu', steps: 4, evalEvery: 2, evalBatches: 1, batchSize: 10, out, data: data(), ...more });

  it('holds run.lock ({pid, host, startedAt}) while the run runs and removes it at the end', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-lock-')), 'run');
    const seen: unknown[] = [];
    await runModel(model, options(out, { onStep: () => seen.push(JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8'))) }));
    expect(seen).toHaveLength(4);
    expect(seen[0]).toEqual({ pid: process.pid, host: expect.any(String), startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('refuses a folder that holds another run (GC713) unless told to overwrite it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-reuse-')), 'run');
    await runModel(model, options(out));
    const before = readFileSync(checkpointPath(out));
    const f = await asyncFailure(() => runModel(model, options(out, { seed: 2 })));
    expect(f).toEqual({ code: 'GC713', message: `${out} holds another run; continue it with: graphc run --resume ${out}, or pass --overwrite to replace it, or choose another --out` });
    expect(readFileSync(checkpointPath(out)).equals(before)).toBe(true);
    await runModel(model, options(out, { seed: 2, overwrite: true }));
    expect(readCheckpoint(out).header.seed).toBe(2);
  });

  it('refuses a folder another live run has locked (GC714), naming its pid and host', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-busy-')), 'run');
    mkdirSync(out);
    // pid 1 is alive on every Linux machine.
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: 1, host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const f = await asyncFailure(() => runModel(model, options(out)));
    expect(f.code).toBe('GC714');
    expect(f.message).toContain('is in use by another graphc run (pid 1 on ');
    expect(existsSync(checkpointPath(out))).toBe(false);
  });

  it('takes over a stale lock (its process gone) with a note', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-stale-')), 'run');
    mkdirSync(out);
    const host = (await import('node:os')).hostname();
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 1, host, startedAt: '2026-01-01T00:00:00.000Z' }));
    const lines: string[] = [];
    const result = await runModel(model, options(out, { status: (l) => lines.push(l) }));
    expect(result.steps).toBe(4);
    expect(lines).toContain(`graphc: ${out} was locked by pid ${2 ** 22 + 1} on ${host}, which is gone; taking the lock over`);
  });

  it('a full disk at a checkpoint is GC706 naming the file and the space needed; the previous checkpoint resumes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-full-')), 'run');
    let checkpoints = 0;
    writeFaults.inject = (path) => {
      if (!path.endsWith('checkpoint.gck') || ++checkpoints < 2) return undefined;
      return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    let f: { code: string; message: string };
    try {
      f = await asyncFailure(() => runModel(model, options(out)));
    } finally {
      writeFaults.inject = undefined;
    }
    expect(f.code).toBe('GC706');
    expect(f.message).toMatch(new RegExp(`^cannot write ${checkpointPath(out)}: no space left on the device \\(it needs [\\d.]+ KiB, [\\d.]+ [KMGT]?i?B free\\); free some space, then resume the run from its last checkpoint$`));
    // The first evaluation's checkpoint stands, and the lock is gone.
    expect(readCheckpoint(out).header.step).toBe(2);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);

    const resumed = await runModel(model, options(out, { resume: readCheckpoint(out) }));
    const reference = await runModel(model, options(join(out, 'reference')));
    expect(resumed.steps).toBe(4);
    const curve = (dir: string) => readMetrics(dir).map((e) => [e.step, e.train, e.test]);
    expect(curve(out)).toEqual(curve(join(out, 'reference')));
    expect(resumed.evaluations.map((e) => e.test)).toEqual(reference.evaluations.map((e) => e.test));
  });

  it('a full disk at metrics.jsonl is GC706 naming it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-full-')), 'run');
    writeFaults.inject = (path) => (path.endsWith('metrics.jsonl') ? Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }) : undefined);
    try {
      const f = await asyncFailure(() => runModel(model, options(out)));
      expect(f.code).toBe('GC706');
      expect(f.message).toContain(`cannot write ${join(out, 'metrics.jsonl')}: no space left on the device (it needs `);
    } finally {
      writeFaults.inject = undefined;
    }
  });

  it('a stop request during an evaluation drops it: the checkpoint is the step before it, and resuming evaluates it first', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-stop-eval-')), 'run');
    const controller = new AbortController();
    const result = await runModel(model, options(out, {
      evalBatches: 5,
      signal: controller.signal,
      onEvalBatch: (done) => {
        // In the second evaluation (step 4), after its second batch.
        if (done === 2 && readMetricsSafe(out).length === 1) controller.abort();
      },
      steps: 6,
    }));
    expect(result.interrupted).toBe(true);
    expect(result.steps).toBe(4);
    expect(result.evaluations.map((e) => e.step)).toEqual([2]);
    const checkpoint = readCheckpoint(out);
    expect(checkpoint.header.step).toBe(4);
    expect(checkpoint.header.pendingEvaluation?.step).toBe(4);

    const resumed = await runModel(model, options(out, { resume: checkpoint, evalBatches: undefined, steps: 6 }));
    const reference = await runModel(model, options(join(out, 'reference'), { evalBatches: 5, steps: 6 }));
    expect(resumed.evaluations.map((e) => e.step)).toEqual([2, 4, 6]);
    expect(resumed.evaluations.map((e) => [e.train, e.test])).toEqual(reference.evaluations.map((e) => [e.train, e.test]));
  });
});

function readMetricsSafe(dir: string): unknown[] {
  try {
    return readMetrics(dir);
  } catch {
    return [];
  }
}
