/**
 * `class_weights: balanced`: n_samples / (n_classes · count_c) from the
 * training split's labels (after the validation split is held out), the same
 * from CSV, NPY and Parquet label columns and from MNIST; the weighted loss of
 * a compiled model equals the hand computation Σ w_y·(logsumexp − logit_y) / Σ w_y
 * (PyTorch's cross_entropy(weight=…), checked against PyTorch itself when
 * GRAPHC_PYTHON is set); the weights reach worker threads and checkpoints, and
 * a checkpoint without them is GC726.
 *
 * With the weights, 2 worker threads and micro_batches: 2 follow one thread's
 * curve: each shard divides by the whole batch's weight sum (scaled to its
 * rows), not its own, so the shards add up to the batch's weighted mean.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import type { FileDatasetConfig } from '../../src/runtime/data/config.js';
import { loadDataFiles } from '../../src/runtime/data/files.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { TrainedModel } from '../../src/runtime/inference.js';
import { balancedClassWeights } from '../../src/runtime/losses.js';
import { RandomStream } from '../../src/runtime/random.js';
import { runModel } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };
const NAMES = ['a', 'b', 'c'];
/** Ten unbalanced examples; the first two (both class a) are held out for validation. */
const LABELS = [0, 0, 1, 0, 0, 0, 1, 2, 0, 0];
const FEATURES = LABELS.map((label, i) => [i / 10, label - 1]);
const HELD = 2;
/** The training split: 8 examples, 5 of a, 2 of b, 1 of c: 8 / (3 · count). */
const EXPECTED = [8 / (3 * 5), 8 / (3 * 2), 8 / (3 * 1)];

const oneHot = (labels: readonly number[], classes: number): Float32Array => {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => (out[i * classes + label] = 1));
  return out;
};

function writeData(dir: string): void {
  writeFileSync(join(dir, 'data.csv'), `x0,x1,label\n${FEATURES.map((f, i) => [...f, NAMES[LABELS[i]!]].join(',')).join('\n')}\n`);
  writeFileSync(join(dir, 'x.npy'), new Uint8Array(dump(new Float32Array(FEATURES.flat()), [LABELS.length, 2])));
  writeFileSync(join(dir, 'y.npy'), new Uint8Array(dump(new Int32Array(LABELS), [LABELS.length])));
  const columns = [
    { name: 'x0', data: FEATURES.map((f) => f[0]!), type: 'DOUBLE' },
    { name: 'x1', data: FEATURES.map((f) => f[1]!), type: 'DOUBLE' },
    { name: 'label', data: LABELS.map((l) => NAMES[l]!), type: 'STRING' },
  ];
  writeFileSync(join(dir, 'data.parquet'), new Uint8Array(parquetWriteBuffer({ columnData: columns.map((c) => ({ ...c, data: c.data as never })) as never })));
}

const SPEC = `
name: balanced
placeholders:
  x: {dtype: float32, shape: [null, 2]}
  ids: {dtype: int32, shape: [null]}
nodes:
  logits: {op: dense, inputs: [x], units: 3}
  loss: {op: sparse_softmax_cross_entropy, inputs: [ids, logits], class_weights: balanced}
train:
  loss: loss
  optimizer: {type: sgd, learning_rate: 0.1}
  dataset:
    format: csv
    train: data.csv
    test: data.csv
    validation: ${HELD}
    features: {columns: [x0, x1]}
    label: {column: label, classes: [a, b, c]}
  steps: 2
  batch_size: 4
  feeds:
    train: {x: batch.features, ids: batch.label_ids}
    eval: {x: batch.features, ids: batch.label_ids}
  eval: {every: 1, batches: 1, batch_size: 10}
  metrics: {cost: loss}
`;

/** Σ w_y·(logsumexp(z) − z_y) / Σ w_y in float64: the weighted mean cross-entropy, by hand. */
function weightedCrossEntropy(logits: Float32Array, labels: readonly number[], weights: readonly number[]): number {
  let total = 0;
  let weightSum = 0;
  labels.forEach((label, i) => {
    const row = Array.from(logits.subarray(i * 3, i * 3 + 3));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0));
    total += weights[label]! * (lse - row[label]!);
    weightSum += weights[label]!;
  });
  return total / weightSum;
}

describe('class_weights: balanced', () => {
  it('weighs each class n / (classes · count), a class the split lacks 0', () => {
    expect(balancedClassWeights(oneHot([0, 0, 0, 1], 3), 4, 3)).toEqual([4 / 9, 4 / 3, 0]);
    expect(balancedClassWeights(oneHot([0, 1, 2, 0, 1, 2], 3), 6, 3)).toEqual([1, 1, 1]);
  });

  it('counts the training split of CSV, NPY and Parquet label columns, after the validation split', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-balanced-'));
    writeData(dir);
    const named = { column: 'label', classes: NAMES };
    const configs: FileDatasetConfig[] = [
      { format: 'csv', train: 'data.csv', test: 'data.csv', validation: HELD, features: { columns: ['x0', 'x1'] }, label: named },
      { format: 'npy', train: { features: 'x.npy', labels: 'y.npy' }, test: { features: 'x.npy', labels: 'y.npy' }, validation: HELD, label: { classes: 3 } },
      { format: 'parquet', train: 'data.parquet', test: 'data.parquet', validation: HELD, features: { columns: ['x0', 'x1'] }, label: named },
    ];
    for (const config of configs) {
      const { train, validation } = await loadDataFiles(config, { baseDir: dir, random: new RandomStream(1, 'data') });
      expect(validation.count, config.format).toBe(HELD);
      const weights = balancedClassWeights(train.labels, train.count, train.shape.classes);
      weights.forEach((w, c) => expect(w, `${config.format} class ${c}`).toBeCloseTo(EXPECTED[c]!, 12));
    }
  });

  it('counts MNIST’s 55000 training labels', async () => {
    const mnist = loadMnist({ random: new RandomStream(1, 'data') });
    const counts = new Array<number>(10).fill(0);
    const all = mnist.train.nextBatch(mnist.train.count).labelIds;
    for (const id of all) counts[id]!++;
    const weights = balancedClassWeights(mnist.train.labels, mnist.train.count, 10);
    expect(mnist.train.count).toBe(55000);
    weights.forEach((w, c) => expect(w).toBeCloseTo(55000 / (10 * counts[c]!), 12));
    // Unbalanced enough to matter: MNIST's rarest digit (5) weighs most.
    expect(weights.indexOf(Math.max(...weights))).toBe(5);
  });

  it('a trained model’s loss is the class-weighted mean (by hand, and PyTorch’s when GRAPHC_PYTHON is set); workers and checkpoints carry the weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-balanced-run-'));
    writeData(dir);
    const spec = join(dir, 'balanced.yaml');
    writeFileSync(spec, SPEC);
    const model = await importVariant(spec, []);
    expect(model.schedule.classWeights).toBe('balanced');
    const lines: string[] = [];
    const out = join(dir, 'run');
    const result = await runModel(model, { ...quiet, status: (l) => lines.push(l), backend: 'cpu', out, dataBase: dir });
    expect(lines.some((l) => /^graphc: balanced class weights 0\.5333, 1\.333, 2\.667 \(from the training split's 8 labels\)$/.test(l))).toBe(true);
    const checkpoint = readCheckpoint(out);
    checkpoint.header.classWeights!.forEach((w, c) => expect(w).toBeCloseTo(EXPECTED[c]!, 12));

    // The test split is the whole file: its cost, evaluated by the run, is the class-weighted mean over all 10 examples.
    const trained = new TrainedModel(model, checkpoint);
    try {
      const features = new Float32Array(FEATURES.flat());
      const [logits, loss] = trained.run(features, oneHot(LABELS, 3), LABELS.length, ['logits', 'loss'], { features: [2], classes: 3 });
      const byHand = weightedCrossEntropy(logits!, LABELS, checkpoint.header.classWeights!);
      expect(loss![0]).toBeCloseTo(byHand, 6);
      expect(result.evaluations.at(-1)!.test['cost']).toBeCloseTo(byHand, 6);
      // Unweighted it would differ: the weights do something.
      expect(Math.abs(weightedCrossEntropy(logits!, LABELS, [1, 1, 1]) - byHand)).toBeGreaterThan(1e-3);
      const python = process.env['GRAPHC_PYTHON'];
      if (python) {
        const script = [
          'import json, sys, torch, torch.nn.functional as F',
          'd = json.load(sys.stdin)',
          "z = torch.tensor(d['logits'], dtype=torch.float64).reshape(-1, 3)",
          "print(F.cross_entropy(z, torch.tensor(d['labels']), weight=torch.tensor(d['weights'], dtype=torch.float64)).item())",
        ].join('\n');
        const input = JSON.stringify({ logits: Array.from(logits!), labels: LABELS, weights: checkpoint.header.classWeights });
        const torch = spawnSync(python, ['-c', script], { input, encoding: 'utf8' });
        expect(torch.status, torch.stderr).toBe(0);
        expect(loss![0]).toBeCloseTo(Number(torch.stdout), 6);
      }
    } finally {
      trained.dispose();
    }

    // Two worker threads, and micro_batches: 2 in this thread, follow the one-thread curve: each shard divides by the whole
    // batch's weight sum (a shard's own would give another update: the batch's 4 rows hold 1 to 3 classes).
    const parallelOut = join(dir, 'parallel');
    const parallelResult = await runModel(model, { ...quiet, backend: 'cpu', workers: 2, workersGiven: true, out: parallelOut, dataBase: dir });
    const parallel = readCheckpoint(parallelOut).header;
    expect(parallel.computed?.workers).toBe(2);
    expect(parallel.classWeights).toEqual(checkpoint.header.classWeights);
    const microSpec = join(dir, 'micro.yaml');
    writeFileSync(microSpec, SPEC.replace('  dataset:', '  micro_batches: 2\n  dataset:'));
    const micro = await importVariant(microSpec, []);
    expect(micro.schedule.microBatches).toBe(2);
    const microResult = await runModel(micro, { ...quiet, backend: 'cpu', out: join(dir, 'micro'), dataBase: dir });
    const curve = (r: typeof result) => r.evaluations.map((e) => e.test['cost']!);
    expect(curve(result)).toHaveLength(2);
    for (const other of [curve(parallelResult), curve(microResult)]) {
      expect(other).toHaveLength(2);
      other.forEach((cost, step) => expect(Math.abs(cost - curve(result)[step]!), `step ${step + 1}`).toBeLessThan(1e-5));
    }

    // A checkpoint without the weights (written before they were recorded) cannot weigh the loss: GC726, naming the loss.
    const { classWeights: _, ...older } = checkpoint.header;
    const stale = new TrainedModel(model, { ...checkpoint, header: older });
    try {
      const run = () => stale.run(new Float32Array(FEATURES.flat()), oneHot(LABELS, 3), LABELS.length, ['loss'], { features: [2], classes: 3 });
      expect(run).toThrow(GraphcError);
      expect(run).toThrow(/GC726|'loss': class_weights: balanced needs/);
    } finally {
      stale.dispose();
    }
  }, 120_000);
});
