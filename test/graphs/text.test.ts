/**
 * The token example: `graphc data order` makes exactly the NPY files in
 * data/order/ (the task: does token A come before token B?), and a short run
 * of graphs/text.yaml (embedding + a reset_after GRU reading each sequence up
 * to its own length) learns it far above the 0.5 baseline, and `graphc
 * predict` on that run supplies each sequence's length.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDER_A, ORDER_B, ORDER_MAX_LENGTH, ORDER_MIN_LENGTH, ORDER_SPLITS, orderNpy, orderSplit } from '../../src/tools/data/order.js';
import { tf } from '../../src/runtime/tf.js';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { TrainedModel } from '../../src/runtime/inference.js';
import { runModel } from '../../src/runtime/trainer.js';
import { graphc } from '../helpers/cli.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };
const STEPS = 60;

describe('the order task (graphc data order)', () => {
  it('is the files in data/order/', () => {
    for (const [split, { count, seed }] of Object.entries(ORDER_SPLITS)) {
      const files = orderNpy(orderSplit(count, seed));
      expect(Buffer.from(files.ids).equals(readFileSync(`data/order/${split}-ids.npy`)), `${split}-ids.npy`).toBe(true);
      expect(Buffer.from(files.labels).equals(readFileSync(`data/order/${split}-labels.npy`)), `${split}-labels.npy`).toBe(true);
      expect(Buffer.from(files.lengths).equals(readFileSync(`data/order/${split}-lengths.npy`)), `${split}-lengths.npy`).toBe(true);
    }
  });

  it('graphc data order --out DIR writes the same files', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-order-')), 'order');
    const r = graphc('data', 'order', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    for (const split of ['train', 'test']) {
      for (const kind of ['ids', 'labels', 'lengths']) {
        const name = `${split}-${kind}.npy`;
        expect(readFileSync(join(out, name)).equals(readFileSync(join('data', 'order', name))), name).toBe(true);
      }
    }
  });

  it('holds A and B once each within the length, padding after it, and labels that say which comes first, about half each', () => {
    const { ids, labels, lengths, count } = orderSplit(2000, 7);
    for (let i = 0; i < count; i++) {
      const row = Array.from(ids.subarray(i * ORDER_MAX_LENGTH, (i + 1) * ORDER_MAX_LENGTH));
      const length = lengths[i]!;
      expect(length).toBeGreaterThanOrEqual(ORDER_MIN_LENGTH);
      expect(length).toBeLessThanOrEqual(ORDER_MAX_LENGTH);
      expect(row.slice(0, length).every((id) => id > 0)).toBe(true);
      expect(row.slice(length).every((id) => id === 0)).toBe(true);
      expect(row.filter((id) => id === ORDER_A)).toHaveLength(1);
      expect(row.filter((id) => id === ORDER_B)).toHaveLength(1);
      expect(labels[i]).toBe(row.indexOf(ORDER_A) < row.indexOf(ORDER_B) ? 1 : 0);
    }
    const positive = labels.reduce((sum, l) => sum + l, 0) / count;
    expect(positive).toBeGreaterThan(0.45);
    expect(positive).toBeLessThan(0.55);
    expect(new Set(lengths).size).toBe(ORDER_MAX_LENGTH - ORDER_MIN_LENGTH + 1);
  });
});

describe('graphs/text.yaml', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'graphc-text-')), 'run');

  it('learns the order task far above the 0.5 baseline in a short run', async () => {
    tf.env().set('PROD', true);
    const model = await importVariant('graphs/text.yaml', []);
    const result = await runModel(model, { ...quiet, backend: 'wasm', steps: STEPS, evalEvery: STEPS, evalBatches: 2, workers: 1, out });
    // Seed 1 reaches 1.0 here (and graphc run graphs/text.yaml by its first evaluation, step 100); the threshold catches a model that does not learn, not noise.
    expect(result.evaluations.at(-1)!.test['acc']).toBeGreaterThan(0.8);
  });

  it('graphc predict supplies each sequence’s length: an unpadded row gives what the model computes with its true length', async () => {
    const model = await importVariant('graphs/text.yaml', []);
    const trained = new TrainedModel(model, readCheckpoint(out));
    const { ids, lengths } = orderSplit(ORDER_SPLITS.test.count, ORDER_SPLITS.test.seed);
    // A test sequence given as its tokens only (no padding); test/tools/predict/features.test.ts checks the lengths of the whole test file.
    for (const i of [0]) {
      const length = lengths[i]!;
      const row = ids.subarray(i * ORDER_MAX_LENGTH, (i + 1) * ORDER_MAX_LENGTH);
      const r = graphc('predict', out, Array.from(row.subarray(0, length)).join(','), '--output', 'logits', '--backend', 'cpu', '--format', 'json');
      expect(r.status, r.stderr).toBe(0);
      const prediction = (JSON.parse(r.stdout) as { predictions: Array<{ probabilities: number[]; length: number }> }).predictions[0]!;
      expect(prediction.length).toBe(length);
      const shape = { features: [ORDER_MAX_LENGTH], classes: 2, featureDtype: 'int32' as const, lengths: true };
      const [logits] = trained.run(Int32Array.from(row), new Float32Array(2), 1, ['logits'], shape, Int32Array.of(length));
      const expected = tf.tidy(() => Array.from(tf.softmax(tf.tensor1d(logits!)).dataSync()));
      prediction.probabilities.forEach((p, c) => expect(p).toBeCloseTo(expected[c]!, 4));
    }
    trained.dispose();
  });
});
