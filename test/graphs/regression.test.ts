/**
 * Specs on the new kinds of data, trained for real: a token model fed int32
 * features and lengths learns a rule only the lengths give; graphs/regression.yaml
 * (the cars data) reaches its MAE; graphs/forecast.yaml (Seattle, windows of
 * days) beats the persistence forecast, whose MAE the graph computes on the
 * same windows and this test computes again from the CSV.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/runtime/tf.js';
import { runModel, type RunPlan } from '../../src/runtime/trainer.js';
import { persistenceMae } from '../../src/tools/data/vega.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };

/** A deterministic stream of uniform numbers in [0, 1) (a 32-bit LCG). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Sequences of up to 6 token ids (0 pads), their lengths, and a class: 1 when the sequence is longer than 3. */
function tokenCsv(rows: number, seed: number): string {
  const next = uniform(seed);
  const lines = ['t0,t1,t2,t3,t4,t5,length,long'];
  for (let r = 0; r < rows; r++) {
    const length = 1 + Math.floor(next() * 6);
    const tokens = Array.from({ length: 6 }, (_, i) => (i < length ? 1 + Math.floor(next() * 50) : 0));
    lines.push([...tokens, length, length > 3 ? 1 : 0].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const TOKEN_SPEC = `
name: tokens
placeholders:
  tokens: {dtype: int32, shape: [null, 6]}
  lengths: {dtype: int32, shape: [null]}
  long: {dtype: float32, shape: [null, 2]}
  long_id: {dtype: int32, shape: [null]}
nodes:
  token_values: {op: cast, inputs: [tokens], dtype: float32}
  scaled_tokens: {op: mul, inputs: [token_values, token_scale]}
  token_scale: {op: variable, shape: [], init: {constant: 0.02}}
  length_values: {op: cast, inputs: [lengths], dtype: float32}
  length_column: {op: reshape, inputs: [length_values], shape: [-1, 1]}
  inputs: {op: concat, inputs: [scaled_tokens, length_column], axis: 1}
  hidden: {op: dense, inputs: [inputs], units: 8, activation: relu}
  logits: {op: dense, inputs: [hidden], units: 2}
  probabilities: {op: softmax, inputs: [logits]}
  log_p: {op: log, inputs: [probabilities]}
  weighted: {op: mul, inputs: [long, log_p]}
  mean: {op: reduce_mean, inputs: [weighted]}
  loss: {op: neg, inputs: [mean]}
  predicted: {op: argmax, inputs: [probabilities], axis: 1}
  correct: {op: equal, inputs: [predicted, long_id]}
  correct_float: {op: cast, inputs: [correct], dtype: float32}
  accuracy: {op: reduce_mean, inputs: [correct_float]}
train:
  loss: loss
  optimizer: {type: adam, learning_rate: 0.01}
  dataset:
    format: csv
    train: data/train.csv
    test: data/test.csv
    feature_dtype: int32
    lengths: {column: length}
    label: {column: long, classes: 2}
  steps: 300
  batch_size: 32
  feeds:
    train: {tokens: batch.features, lengths: batch.lengths, long: batch.labels, long_id: batch.label_ids}
    eval: {tokens: batch.features, lengths: batch.lengths, long: batch.labels, long_id: batch.label_ids}
  eval: {every: 300, batches: 1, batch_size: 200}
  metrics: {cost: loss, acc: accuracy}
`;

describe('training on int32 features, regression targets and windows', () => {
  beforeAll(() => {
    tf.env().set('PROD', true);
  });

  it('a model fed int32 token ids and batch.lengths learns a rule only the lengths give (≥ 0.95 test accuracy)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-tokens-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'train.csv'), tokenCsv(400, 1));
    writeFileSync(join(dir, 'data', 'test.csv'), tokenCsv(200, 2));
    writeFileSync(join(dir, 'tokens.yaml'), TOKEN_SPEC);
    const model = await importVariant(join(dir, 'tokens.yaml'), []);
    const result = await runModel(model, { ...quiet, backend: 'cpu' });
    expect(result.evaluations.at(-1)!.test['acc']).toBeGreaterThanOrEqual(0.95);
  });

  it('graphs/regression.yaml: the MLP on the cars data reaches a test MAE under 2.2 miles per gallon', async () => {
    const model = await importVariant('graphs/regression.yaml', []);
    let plan: RunPlan | undefined;
    const result = await runModel(model, { ...quiet, backend: 'cpu', onStart: (p) => (plan = p) });
    expect(plan?.data).toEqual({ train: 314, validation: 0, test: 78, shape: { features: [9], classes: 0, targets: [] } });
    const last = result.evaluations.at(-1)!;
    expect(last.step).toBe(1000);
    expect(last.test['mae']).toBeLessThan(2.2);
  });

  it('graphs/forecast.yaml: the GRU beats the persistence forecast on 2015’s windows, whose MAE is the CSV’s own', async () => {
    const model = await importVariant('graphs/forecast.yaml', []);
    let plan: RunPlan | undefined;
    const result = await runModel(model, { ...quiet, backend: 'cpu', onStart: (p) => (plan = p) });
    const days = 7;
    // 365 days of 2015: windows of 7 days, each with the next day as its target.
    expect(plan?.data).toEqual({ train: 1096 - days, validation: 0, test: 365 - days, shape: { features: [days, 6], classes: 0, targets: [] } });
    const temps = readFileSync('data/seattle/test.csv', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    const persistence = persistenceMae(temps, days);
    const last = result.evaluations.at(-1)!;
    expect(last.test['persistence_mae']).toBeCloseTo(persistence, 4);
    expect(last.test['mae']).toBeLessThan(persistence);
  });
});
