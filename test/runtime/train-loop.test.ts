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
 *   and resumes exactly;
 * - a monitor may watch the validation split (validation.<metric>): the trainer
 *   then evaluates all of it after each evaluation step, logs it, and best.gck
 *   evaluates to the best validation metric exactly.
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
import { DataSet } from '../../src/runtime/data/dataset.js';
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

/** MNIST parsed once for the validation-split tests: each call gives fresh splits over its arrays, with a data stream of their own. */
let mnistOnce: ReturnType<typeof loadMnist> | undefined;
function freshMnist(validationRows?: number): NonNullable<RunOptions['data']> & { validation: DataSet } {
  mnistOnce ??= loadMnist({ random: new RandomStream(4, 'data') });
  const random = new RandomStream(4, 'data');
  const split = (set: DataSet, rows = set.count) => new DataSet(set.features.subarray(0, rows * 784), set.labels.subarray(0, rows * 10), random);
  return { train: split(mnistOnce.train), test: split(mnistOnce.test), validation: split(mnistOnce.validation, validationRows), random };
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

describe('monitoring the validation split', () => {
  // The peak's metric plus the mean pixel of the evaluated batch: it peaks at step 3 on every split, with a value of each split's own.
  const VALIDATION_KNOBS = 'early_stopping: {monitor: validation.seen, patience: 2}\n  log: "step {step} validation seen={validation.seen:.6f}"';
  const withPixels = (spec: string) =>
    spec
      .replace('x: {dtype: float32, shape: [null, 784], unused: true}', 'x: {dtype: float32, shape: [null, 784]}')
      .replace('  closeness: {op: neg, inputs: [gap2]}', '  closeness: {op: neg, inputs: [gap2]}\n  pixel: {op: reduce_mean, inputs: [x]}\n  seen: {op: add, inputs: [closeness, pixel]}')
      .replace('metrics: {closeness: closeness, loss: loss}', 'metrics: {seen: seen, loss: loss}')
      .replace('eval: {every: 1, batches: 2}', 'eval: {every: 1, batches: 2, batch_size: 1000}');

  it('early stopping on validation.<metric> evaluates the whole validation split, logs it, and best.gck evaluates to the best validation metric exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-validation-'));
    const spec = join(dir, 'peak.yaml');
    writeFileSync(spec, withPixels(PEAK_SPEC).replace('KNOBS', VALIDATION_KNOBS));
    const model = await importVariant(spec, []);
    expect(model.schedule.earlyStopping).toEqual({ monitor: 'validation.seen', mode: 'max', minDelta: 0, patience: 2 });
    const mnist = freshMnist();
    const out = join(dir, 'run');
    const printed: string[] = [];
    const result = await runModel(model, { ...quiet, print: (l) => printed.push(l), backend: 'cpu', out, data: mnist });
    const seen = result.evaluations.map((e) => e.validation!['seen']!);
    expect(result.evaluations.map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
    expect(seen[2]).toBe(Math.max(...seen));
    expect(result.stoppedEarly).toBe(5);
    expect(result.best).toEqual({ step: 3, monitor: 'validation.seen', value: seen[2] });
    // The validation split is not the test split: its metric is its own.
    expect(result.evaluations[2]!.test['seen']).not.toBe(seen[2]);
    expect(printed[2]).toBe(`step 3 validation seen=${seen[2]!.toFixed(6)}`);
    const logged = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Evaluation);
    expect(logged.map((e) => e.validation!['seen'])).toEqual(seen);

    const best = readCheckpoint(out, BEST_CHECKPOINT_FILE);
    expect(best.header.step).toBe(3);
    const trained = new TrainedModel(model, best);
    try {
      expect(trained.evaluate(mnist.validation, 1000)['seen']).toBe(seen[2]);
    } finally {
      trained.dispose();
    }
  }, 120_000);

  it('reduce_on_plateau on validation.<metric>; nothing watching or logging it, the validation split is not evaluated', async () => {
    const { model } = await peakModel('learning_rate_schedule: {type: reduce_on_plateau, monitor: validation.closeness, patience: 0, factor: 0.5}');
    const result = await runModel(model, { ...quiet, backend: 'cpu', steps: 6, data: freshMnist() });
    expect(result.evaluations.map((e) => e.train['lr'])).toEqual([1, 1, 1, 1, 0.5, 0.25]);
    expect(result.evaluations.every((e) => e.validation !== undefined)).toBe(true);
    // Without anything watching or logging it, the validation split is not evaluated.
    const plain = await peakModel('early_stopping: {monitor: test.closeness, patience: 2}');
    const quietRun = await runModel(plain.model, { ...quiet, backend: 'cpu', steps: 2, data: freshMnist() });
    expect(quietRun.evaluations.every((e) => e.validation === undefined)).toBe(true);
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

  it('early stopping on the validation split, reduce_on_plateau and micro-batches: a run interrupted at step 3 and resumed gives the uninterrupted run; 2 workers follow its curve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-all-knobs-'));
    const path = join(dir, 'bigru.yaml');
    const knobs = '  micro_batches: 2\n  early_stopping: {monitor: validation.cost, patience: 2}\n';
    const bigru = readFileSync('graphs/bigru.yaml', 'utf8').replace(/  learning_rate_schedule: .*\n/, '  learning_rate_schedule: {type: reduce_on_plateau, monitor: test.cost, patience: 0, factor: 0.5}\n');
    writeFileSync(path, bigru.replace('  dataset: mnist', `${knobs}  dataset: mnist`));
    const model = await importVariant(path, [...set, 'lr=0.05']);
    // A 200-example validation split (MNIST's first 200 held-out images) keeps the evaluations short.
    const withValidation = () => freshMnist(200);
    const run = { ...options, steps: 6, evalEvery: 1, workers: 1, workersGiven: true } as const;
    const whole = await runModel(model, { ...run, out: join(dir, 'whole'), data: withValidation() });
    const controller = new AbortController();
    const out = join(dir, 'resumed');
    await runModel(model, { ...run, out, data: withValidation(), signal: controller.signal, onStep: (step) => step === 3 && controller.abort() });
    const checkpoint = readCheckpoint(out);
    expect(checkpoint.header.step).toBe(3);
    const resumed = await runModel(model, { ...quiet, backend: 'wasm', out, resume: checkpoint, data: withValidation() });
    const withSplits = (evaluations: readonly Evaluation[]) => JSON.parse(JSON.stringify(evaluations.map((e) => ({ step: e.step, train: e.train, validation: e.validation, test: e.test })))) as unknown;
    expect(withSplits(resumed.evaluations)).toEqual(withSplits(whole.evaluations));
    expect(resumed.best).toEqual(whole.best);
    expect(resumed.stoppedEarly).toBe(whole.stoppedEarly);
    expect(readCheckpoint(out, BEST_CHECKPOINT_FILE).payload).toEqual(readCheckpoint(join(dir, 'whole'), BEST_CHECKPOINT_FILE).payload);
    // The knobs did act in this run: the rate was halved at least once, and every evaluation has the validation split's cost.
    expect(whole.evaluations.some((e) => e.train['lr']! < 0.05)).toBe(true);
    expect(whole.evaluations.every((e) => Number.isFinite(e.validation?.['cost']))).toBe(true);

    // Two workers share each micro-batch and follow the one-thread curve (to float32 rounding: they sum in another order).
    const parallel = await runModel(model, { ...run, workers: 2, data: withValidation() });
    expect(parallel.evaluations.map((e) => e.step)).toEqual(whole.evaluations.map((e) => e.step));
    parallel.evaluations.forEach((e, i) => {
      for (const split of ['train', 'validation', 'test'] as const) {
        const expected = whole.evaluations[i]![split]!['cost']!;
        expect(Math.abs(e[split]!['cost']! - expected), `${split}.cost at step ${e.step}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
      }
    });
  }, 180_000);

  it('a --batch-size that micro_batches does not divide is GC725', async () => {
    const model = await importVariant(spec(4), set);
    await expect(runModel(model, { ...options, batchSize: 10, data: data() })).rejects.toThrow(/GC725|not a multiple of the spec's micro_batches 4/);
  }, 60_000);
});
