import { describe, it, expect } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { DataSet, IMAGE_SIZE, NUM_CLASSES, type Batch } from '../../../src/runtime/data/dataset.js';
import { RandomStream } from '../../../src/runtime/random.js';

/** n examples; example i has every pixel = i and label i % 10, so a batch row reveals its index. */
function makeDataSet(n: number, seed = 1): DataSet {
  const images = new Float32Array(n * IMAGE_SIZE);
  const labels = new Float32Array(n * NUM_CLASSES);
  for (let i = 0; i < n; i++) {
    images.fill(i, i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
    labels[i * NUM_CLASSES + (i % NUM_CLASSES)] = 1;
  }
  return new DataSet(images, labels, new RandomStream(seed, 'data'));
}

/** The example indices in a batch, checking every row is intact. */
function indices(batch: Batch): number[] {
  expect(batch.images.length).toBe(batch.size * IMAGE_SIZE);
  expect(batch.labels.length).toBe(batch.size * NUM_CLASSES);
  const out: number[] = [];
  for (let r = 0; r < batch.size; r++) {
    const row = batch.images.subarray(r * IMAGE_SIZE, (r + 1) * IMAGE_SIZE);
    const index = row[0]!;
    expect(row.every((v) => v === index)).toBe(true);
    const label = Array.from(batch.labels.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES));
    expect(label.indexOf(1)).toBe(index % NUM_CLASSES);
    expect(label.reduce((a, b) => a + b, 0)).toBe(1);
    out.push(index);
  }
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('DataSet', () => {
  it('derives count and rejects inconsistent arrays', () => {
    expect(makeDataSet(7).count).toBe(7);
    const random = new RandomStream(1);
    expect(() => new DataSet(new Float32Array(IMAGE_SIZE), new Float32Array(2 * NUM_CLASSES), random)).toThrow(RangeError);
    expect(() => new DataSet(new Float32Array(IMAGE_SIZE), new Float32Array(5), random)).toThrow(RangeError);
  });

  it('shuffles on the first call', () => {
    const first = indices(makeDataSet(10).nextBatch(10));
    expect([...first].sort((a, b) => a - b)).toEqual(range(10));
    expect(first).not.toEqual(range(10));
    // The permutation is exactly the stream's first permutation.
    const expected = Array.from(new RandomStream(1, 'data').permutation(10));
    expect(first).toEqual(expected);
  });

  it('crosses epochs like TF1: the old epoch\'s leftovers, then the new order', () => {
    const data = makeDataSet(10, 42);
    const reference = new RandomStream(42, 'data');
    const perm0 = Array.from(reference.permutation(10));
    const b1 = indices(data.nextBatch(4));
    const b2 = indices(data.nextBatch(4));
    expect(b1).toEqual(perm0.slice(0, 4));
    expect(b2).toEqual(perm0.slice(4, 8));
    expect(data.epochsCompleted).toBe(0);

    const b3 = indices(data.nextBatch(4));
    expect(data.epochsCompleted).toBe(1);
    // The new order is the old order reshuffled (order = order[perm]).
    const perm1 = Array.from(reference.permutation(10));
    const order1 = perm1.map((p) => perm0[p]!);
    expect(b3.slice(0, 2)).toEqual(perm0.slice(8, 10));
    expect(b3.slice(2)).toEqual(order1.slice(0, 2));

    const b4 = indices(data.nextBatch(4));
    const b5 = indices(data.nextBatch(4));
    expect(b4).toEqual(order1.slice(2, 6));
    expect(b5).toEqual(order1.slice(6, 10));
    // The epoch only ends when the next batch would run past it.
    expect(data.epochsCompleted).toBe(1);
    indices(data.nextBatch(4));
    expect(data.epochsCompleted).toBe(2);
  });

  it('covers every example exactly once per epoch', () => {
    const data = makeDataSet(10, 3);
    // Batch 3 over 10 examples: epoch boundaries fall inside batches; count what each epoch served.
    const seen: number[][] = [[]];
    let epoch = 0;
    let served = 0;
    for (let step = 0; step < 40; step++) {
      for (const index of indices(data.nextBatch(3))) {
        if (served === 10 * (epoch + 1)) {
          epoch++;
          seen.push([]);
        }
        seen[epoch]!.push(index);
        served++;
      }
    }
    for (const epochIndices of seen.slice(0, -1)) expect([...epochIndices].sort((a, b) => a - b)).toEqual(range(10));
    expect(data.epochsCompleted).toBe(11);
  });

  it('takes a full-size batch without crossing until the next call', () => {
    const data = makeDataSet(5);
    data.nextBatch(5);
    expect(data.epochsCompleted).toBe(0);
    expect(indices(data.nextBatch(5)).sort()).toEqual(range(5));
    expect(data.epochsCompleted).toBe(1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number): number[] => {
      const data = makeDataSet(50, seed);
      return range(20).flatMap(() => indices(data.nextBatch(7)));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('returns fresh arrays', () => {
    const data = makeDataSet(4);
    const batch = data.nextBatch(2);
    batch.images.fill(-1);
    batch.labels.fill(-1);
    expect(data.images.every((v) => v >= 0)).toBe(true);
    expect(data.labels.every((v) => v >= 0)).toBe(true);
  });

  it('rejects bad batch sizes', () => {
    const data = makeDataSet(4);
    for (const size of [0, -1, 1.5, 5, Number.NaN]) expect(() => data.nextBatch(size)).toThrow(RangeError);
  });

  it('resumes exactly from getState/setState (with the random state saved separately)', () => {
    const random = new RandomStream(9, 'data');
    const original = makeDataSet(13);
    // Rebuild with our own stream so its state can be saved too.
    const data = new DataSet(original.images, original.labels, random);
    for (let i = 0; i < 5; i++) data.nextBatch(4);

    const saved = JSON.parse(JSON.stringify({ data: data.getState(), random: random.getState() })) as {
      data: ReturnType<DataSet['getState']>;
      random: ReturnType<RandomStream['getState']>;
    };
    const expected = range(12).map(() => indices(data.nextBatch(4)));
    const expectedEpochs = data.epochsCompleted;

    const random2 = new RandomStream(12345);
    random2.setState(saved.random);
    const resumed = new DataSet(original.images, original.labels, random2);
    resumed.setState(saved.data);
    expect(resumed.epochsCompleted).toBe(saved.data.epochsCompleted);
    expect(range(12).map(() => indices(resumed.nextBatch(4)))).toEqual(expected);
    expect(resumed.epochsCompleted).toBe(expectedEpochs);
  });

  it('rejects a state that does not fit, as GC705', () => {
    const data = makeDataSet(4);
    const good = data.getState();
    const bad = [
      { ...good, order: [0, 1, 2] },
      { ...good, order: [0, 1, 1, 3] },
      { ...good, order: [0, 1, 2, 4] },
      { ...good, indexInEpoch: 5 },
      { ...good, indexInEpoch: -1 },
      { ...good, epochsCompleted: 0.5 },
    ];
    for (const state of bad) {
      let error: unknown;
      try {
        data.setState(state);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GraphcError);
      expect((error as GraphcError).diagnostics[0]!.code).toBe('GC705');
    }
    expect(data.getState()).toEqual(good);
  });
});
