/**
 * The page's loop (trainInPage) against the trainer's (runModel), run here
 * under Node on one backend, where a browser is not needed to compare them:
 * with reduce_on_plateau and early stopping they take the same steps, log the
 * same evaluations and stop at the same step. The model is train-loop.test.ts's
 * peaking metric: a scalar w trained on the loss −w by SGD moves 0, 1, 2, …
 * and −(w − 2.7)² peaks at step 3.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { trainInPage } from '../../../src/runtime/browser/train.js';
import { loadMnist } from '../../../src/runtime/data/index.js';
import { RandomStream } from '../../../src/runtime/random.js';
import type { Evaluation } from '../../../src/runtime/run_folder.js';
import { runModel } from '../../../src/runtime/trainer.js';
import { importVariant } from '../../helpers/modules.js';

const SPEC = `
name: peak
placeholders:
  x: {dtype: float32, shape: [null, 784], unused: true}
nodes:
  w: {op: variable, shape: [], init: zeros}
  target: {op: variable, shape: [], init: {constant: 2.7}}
  loss: {op: neg, inputs: [w]}
  gap: {op: sub, inputs: [w, target]}
  gap2: {op: square, inputs: [gap]}
  closeness: {op: neg, inputs: [gap2]}
train:
  loss: loss
  optimizer: {type: sgd, learning_rate: 1}
  early_stopping: {monitor: test.closeness, patience: 3}
  learning_rate_schedule: {type: reduce_on_plateau, monitor: test.closeness, patience: 0, factor: 0.5}
  dataset: mnist
  steps: 12
  batch_size: 10
  feeds: {train: {x: batch.images}, eval: {x: batch.images}}
  eval: {every: 1, batches: 2}
  metrics: {closeness: closeness, loss: loss}
`;

function data() {
  const random = new RandomStream(4, 'data');
  const mnist = loadMnist({ random });
  return { train: mnist.train, test: mnist.test, random };
}

const rows = (evaluations: readonly Evaluation[]) => evaluations.map((e) => ({ step: e.step, train: e.train, test: e.test }));

it("trainInPage follows the trainer's plateau and early stopping: same evaluations, same stop", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-page-loop-'));
  writeFileSync(join(dir, 'peak.yaml'), SPEC);
  const model = await importVariant(join(dir, 'peak.yaml'), []);
  const node = await runModel(model, { backend: 'cpu', data: data(), print: () => {}, status: () => {} });
  expect(node.stoppedEarly).toBeDefined();
  const lines: string[] = [];
  const schedule = { steps: 12, batchSize: 10, evalEvery: 1, evalBatches: 2, evalBatchSize: model.schedule.evaluation.batchSize };
  const page = await trainInPage(model, { backend: { name: 'cpu' as 'wasm', device: 'the trainer test' }, seed: 1, schedule, source: 'peak.yaml', data: data(), onEvaluation: (_, line) => void lines.push(line) });
  page.session.dispose();
  expect(page.stoppedEarly).toBe(node.stoppedEarly);
  expect(page.paused).toBe(false);
  expect(rows(page.evaluations)).toEqual(rows(node.evaluations));
  // The plateau halved the rate after the peak, in both.
  expect(Math.min(...node.evaluations.map((e) => e.train['lr']!))).toBeLessThan(1);
  expect(page.evaluations.map((e) => e.train['lr'])).toEqual(node.evaluations.map((e) => e.train['lr']));
  expect(lines).toHaveLength(node.evaluations.length);
}, 120_000);
