/**
 * The schedule and clipping in a real run (graphs/bigru.yaml's documented
 * variant): the training rows of the evaluations carry the step's learning
 * rate (lr) and gradient norm before clipping (grad_norm), and with
 * --workers the clipping applies to the whole batch's gradient, so 2 workers
 * follow the curve of one; a run with each new optimizer resumes exactly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../src/runtime/checkpoint.js';
import type { Evaluation } from '../../../src/runtime/run_folder.js';
import { loadMnist } from '../../../src/runtime/data/index.js';
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

async function run(model: AnyCompiledModel, workers: number) {
  const result = await runModel(model, { ...quiet, backend: 'wasm', steps: 6, evalEvery: 3, evalBatches: 1, batchSize: 20, seed: 4, data: data(), workers });
  return result.evaluations;
}

describe('learning-rate schedule and clipping in training', () => {
  it('logs lr and grad_norm on the training rows, and 2 workers clip the whole batch as one does', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1', 'lr=0.01', 'lr_schedule=cosine_decay', 'warmup_steps=2', 'decay_steps=4', 'clip_norm=0.01']);
    expect(model.schedule.learningRateSchedule).toEqual({ type: 'cosine_decay', warmupSteps: 2, decaySteps: 4, alpha: 0 });
    expect(model.schedule.clip).toEqual({ globalNorm: 0.01 });
    const one = await run(model, 1);
    expect(one.map((e) => e.step)).toEqual([3, 6]);
    // Step 3 follows t = 2 completed steps: the warm-up is over, the full rate; step 6 is 3/4 down the cosine.
    expect(one[0]!.train['lr']).toBeCloseTo(0.01, 12);
    expect(one[1]!.train['lr']).toBeCloseTo(0.01 * 0.5 * (1 + Math.cos((Math.PI * 3) / 4)), 12);
    for (const e of one) expect(e.train['grad_norm']).toBeGreaterThan(0.01); // so the clipping acted
    const two = await run(model, 2);
    two.forEach((e, i) => {
      for (const phase of ['train', 'test'] as const) {
        for (const [metric, value] of Object.entries(one[i]![phase])) {
          expect(Math.abs(e[phase][metric]! - value), `${phase}.${metric} at step ${e.step}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(value)));
        }
      }
    });
  }, 120_000);

  it('the default bigru run logs neither (no schedule, no clipping)', async () => {
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8', 'layer_num=1']);
    expect(model.schedule.learningRateSchedule).toBeUndefined();
    expect(model.schedule.clip).toBeUndefined();
    const evaluations = await run(model, 1);
    expect(Object.keys(evaluations[0]!.train).sort()).toEqual(['acc', 'cost']);
  }, 120_000);
});

describe('resume with the new optimizers, a schedule and clipping', () => {
  for (const optimizer of ['{type: rmsprop, learning_rate: $lr, momentum: 0.5, centered: true}', '{type: sgd, learning_rate: $lr, momentum: 0.9, nesterov: true}', '{type: adamw, learning_rate: $lr}', '{type: adagrad, learning_rate: $lr}']) {
    it(`a run interrupted at step 3 and resumed gives the uninterrupted run's metrics: ${optimizer}`, async () => {
      // bigru with another optimizer, in a spec of its own (its keys beyond learning_rate are not params).
      const dir = mkdtempSync(join(tmpdir(), 'graphc-knobs-'));
      const spec = join(dir, 'bigru.yaml');
      writeFileSync(spec, readFileSync('graphs/bigru.yaml', 'utf8').replace(/optimizer: \{type: \$optimizer, [^}]*\}/, `optimizer: ${optimizer}`));
      const model = await importVariant(spec, ['hidden_size=8', 'layer_num=1', 'lr=0.01', 'lr_schedule=cosine_decay', 'warmup_steps=2', 'decay_steps=4', 'clip_norm=0.01']);
      expect(model.schedule.optimizer.type).toBe(/type: (\w+)/.exec(optimizer)![1]);
      const options = { ...quiet, backend: 'wasm', steps: 6, evalEvery: 2, evalBatches: 1, batchSize: 20, seed: 4 } as const;
      const whole = await runModel(model, { ...options, out: join(dir, 'whole'), data: data() });
      const controller = new AbortController();
      const out = join(dir, 'resumed');
      await runModel(model, { ...options, out, data: data(), signal: controller.signal, onStep: (step) => step === 3 && controller.abort() });
      const checkpoint = readCheckpoint(out);
      expect(checkpoint.header.step).toBe(3);
      expect(checkpoint.header.optimizer.slots.length).toBeGreaterThan(0);
      const resumed = await runModel(model, { ...quiet, backend: 'wasm', out, resume: checkpoint, data: data() });
      const rows = (evaluations: readonly Evaluation[]) => evaluations.map((e) => ({ step: e.step, train: e.train, test: e.test }));
      expect(rows(resumed.evaluations)).toEqual(rows(whole.evaluations));
      expect(whole.evaluations.at(-1)!.train['lr']).toBeLessThan(0.01);
    }, 120_000);
  }
});
