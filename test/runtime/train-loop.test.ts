/**
 * The training knobs that watch the run (monitor.ts) and gradient
 * accumulation, in real runs:
 * - early stopping on a metric that peaks and then falls stops `patience`
 *   evaluations after the peak, keeps the peak's checkpoint as best.gck, and
 *   best.gck evaluates to the best metric exactly; eval, predict and export
 *   then read it by default;
 * - reduce_on_plateau lowers the logged rate once the metric stalls, and a
 *   run interrupted and resumed continues both monitors exactly;
 * - micro_batches gives the whole batch's update (one thread and 2 workers),
 *   and resumes exactly.
 *
 * The peaking metric: a scalar variable w trained on the loss −w by SGD at
 * rate 1 moves 0, 1, 2, 3, … and the metric −(w − 2.7)² peaks at step 3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { TrainedModel } from '../../src/runtime/inference.js';
import { RandomStream } from '../../src/runtime/random.js';
import { BEST_CHECKPOINT_FILE, chooseCheckpoint, type Evaluation } from '../../src/runtime/run_folder.js';
import { runModel, type RunOptions } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };

function data(): NonNullable<RunOptions['data']> {
  const random = new RandomStream(4, 'data');
  const mnist = loadMnist({ random });
  return { train: mnist.train, test: mnist.test, random };
}

const PEAK_SPEC = `
name: peak
params:
  lr: 1
  target: 2.7
  patience: 2
placeholders:
  x: {dtype: float32, shape: [null, 784], unused: true}
nodes:
  w: {op: variable, shape: [], init: zeros}
  target: {op: variable, shape: [], init: {constant: $target}}
  loss: {op: neg, inputs: [w]}
  gap: {op: sub, inputs: [w, target]}
  gap2: {op: square, inputs: [gap]}
  closeness: {op: neg, inputs: [gap2]}
train:
  loss: loss
  optimizer: {type: sgd, learning_rate: $lr}
  KNOBS
  dataset: mnist
  steps: 12
  batch_size: 10
  feeds: {train: {x: batch.images}, eval: {x: batch.images}}
  eval: {every: 1, batches: 2}
  metrics: {closeness: closeness, loss: loss}
`;

async function peakModel(knobs: string, set: readonly string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-peak-'));
  const spec = join(dir, 'peak.yaml');
  writeFileSync(spec, PEAK_SPEC.replace('KNOBS', knobs));
  return { dir, model: await importVariant(spec, set) };
}

// Through JSON, as a resumed run's earlier evaluations come from the checkpoint's header (so -0 reads as 0).
const rows = (evaluations: readonly Evaluation[]) => JSON.parse(JSON.stringify(evaluations.map((e) => ({ step: e.step, train: e.train, test: e.test })))) as unknown;

describe('early stopping', () => {
  it('stops patience evaluations after the peak, and best.gck evaluates to the best metric exactly', async () => {
    const { dir, model } = await peakModel('early_stopping: {monitor: test.closeness, patience: $patience}');
    expect(model.schedule.earlyStopping).toEqual({ monitor: 'test.closeness', mode: 'max', minDelta: 0, patience: 2 });
    const out = join(dir, 'run');
    const result = await runModel(model, { ...quiet, backend: 'cpu', out, data: data() });
    const closeness = result.evaluations.map((e) => e.test['closeness']!);
    // Rises to step 3, then falls: stopped after the 2 evaluations (steps 4, 5) that did not beat it.
    expect(result.evaluations.map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
    expect(closeness[2]).toBe(Math.max(...closeness));
    expect(result.stoppedEarly).toBe(5);
    expect(result.best).toEqual({ step: 3, monitor: 'test.closeness', value: closeness[2] });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary['best']).toEqual({ step: 3, monitor: 'test.closeness', value: closeness[2] });
    expect(summary['stopped_early']).toBe(5);
    expect(summary['interrupted']).toBe(false);

    const best = readCheckpoint(out, BEST_CHECKPOINT_FILE);
    const last = readCheckpoint(out);
    expect(best.header.step).toBe(3);
    expect(last.header.step).toBe(5);
    const trained = new TrainedModel(model, best);
    try {
      expect(trained.evaluate(data().test, 100)['closeness']).toBe(closeness[2]);
    } finally {
      trained.dispose();
    }
    // graphc eval reads best.gck by default and says so; its metric is the best one, exactly.
    const cli = spawnSync(process.execPath, ['bin/graphc.js', 'eval', out, '--format', 'json', '--backend', 'cpu', '--batch-size', '1000', '--out-dir', join(dir, 'modules'), '--no-progress'], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/graphc: checkpoint best\.gck \(best, step 3\)/);
    expect(JSON.parse(cli.stdout)).toMatchObject({ step: 3, checkpoint: 'best', test: { closeness: closeness[2] } });
    // What eval, predict and export read: best.gck by default, the last when asked, best refused where there is none.
    expect(chooseCheckpoint(out, undefined)).toEqual({ which: 'best', file: BEST_CHECKPOINT_FILE });
    expect(chooseCheckpoint(out, 'last')).toEqual({ which: 'last', file: 'checkpoint.gck' });
    const plain = await peakModel('');
    const plainOut = join(plain.dir, 'run');
    await runModel(plain.model, { ...quiet, backend: 'cpu', out: plainOut, steps: 2, data: data() });
    expect(existsSync(join(plainOut, BEST_CHECKPOINT_FILE))).toBe(false);
    expect(chooseCheckpoint(plainOut, undefined).which).toBe('last');
    expect(() => chooseCheckpoint(plainOut, 'best')).toThrow(GraphcError);
    expect(() => chooseCheckpoint(plainOut, 'best')).toThrow(/GC724|no best\.gck/);
  }, 120_000);

  it('a run interrupted after the peak and resumed stops where the whole run stopped, with the same best.gck', async () => {
    const { dir, model } = await peakModel('early_stopping: {monitor: test.closeness, patience: 3}\n  learning_rate_schedule: {type: reduce_on_plateau, monitor: test.closeness, patience: 0, factor: 0.5}');
    const whole = await runModel(model, { ...quiet, backend: 'cpu', out: join(dir, 'whole'), data: data() });
    const controller = new AbortController();
    const out = join(dir, 'resumed');
    await runModel(model, { ...quiet, backend: 'cpu', out, data: data(), signal: controller.signal, onStep: (step) => step === 4 && controller.abort() });
    const checkpoint = readCheckpoint(out);
    expect(checkpoint.header.step).toBe(4);
    expect(checkpoint.header.monitors?.plateau?.rate).toBe(0.5);
    const resumed = await runModel(model, { ...quiet, backend: 'cpu', out, resume: checkpoint, data: data() });
    expect(rows(resumed.evaluations)).toEqual(rows(whole.evaluations));
    expect(resumed.stoppedEarly).toBe(whole.stoppedEarly);
    expect(resumed.best).toEqual(whole.best);
    expect(readCheckpoint(out, BEST_CHECKPOINT_FILE).payload).toEqual(readCheckpoint(join(dir, 'whole'), BEST_CHECKPOINT_FILE).payload);
    // The plateau halved the rate after each evaluation past the peak (patience 0): w moved 1, 1, 1, then 0.5, 0.25, …
    expect(whole.evaluations.map((e) => e.train['lr'])).toEqual([1, 1, 1, 1, 0.5, 0.25]);
    expect(whole.evaluations.map((e) => -e.test['loss']!)).toEqual([1, 2, 3, 4, 4.5, 4.75]);
    expect(whole.stoppedEarly).toBe(6);
  }, 120_000);
});

describe('gradient accumulation (micro_batches)', () => {
  const spec = (micro: number): string => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-micro-'));
    const path = join(dir, 'bigru.yaml');
    writeFileSync(path, readFileSync('graphs/bigru.yaml', 'utf8').replace('  dataset: mnist', `  micro_batches: ${micro}\n  dataset: mnist`));
    return path;
  };
  const set = ['hidden_size=8', 'layer_num=1', 'lr=0.01'];
  const options = { ...quiet, backend: 'wasm', steps: 4, evalEvery: 2, evalBatches: 1, batchSize: 12, seed: 4 } as const;

  it('4 micro-batches give the update of the whole batch, in one thread and with 2 workers', async () => {
    const whole = await runModel(await importVariant('graphs/bigru.yaml', set), { ...options, data: data(), workers: 1 });
    const model = await importVariant(spec(4), set);
    expect(model.schedule.microBatches).toBe(4);
    for (const workers of [1, 2]) {
      const micro = await runModel(model, { ...options, data: data(), workers });
      micro.evaluations.forEach((e, i) => {
        for (const phase of ['train', 'test'] as const) {
          for (const [metric, value] of Object.entries(whole.evaluations[i]![phase])) {
            expect(Math.abs(e[phase][metric]! - value), `${workers} worker(s): ${phase}.${metric} at step ${e.step}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(value)));
          }
        }
      });
    }
  }, 180_000);

  it('a run with micro-batches interrupted at step 3 and resumed gives the uninterrupted run', async () => {
    const model = await importVariant(spec(2), set);
    const dir = mkdtempSync(join(tmpdir(), 'graphc-micro-run-'));
    const whole = await runModel(model, { ...options, out: join(dir, 'whole'), data: data() });
    const controller = new AbortController();
    const out = join(dir, 'resumed');
    await runModel(model, { ...options, out, data: data(), signal: controller.signal, onStep: (step) => step === 3 && controller.abort() });
    const resumed = await runModel(model, { ...quiet, backend: 'wasm', out, resume: readCheckpoint(out), data: data() });
    expect(rows(resumed.evaluations)).toEqual(rows(whole.evaluations));
  }, 180_000);

  it('a --batch-size that micro_batches does not divide is GC725', async () => {
    const model = await importVariant(spec(4), set);
    await expect(runModel(model, { ...options, batchSize: 10, data: data() })).rejects.toThrow(/GC725|not a multiple of the spec's micro_batches 4/);
  }, 60_000);
});
