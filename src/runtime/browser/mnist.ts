/**
 * MNIST fetched from the page's own site (graphc bundle copies the four
 * files graphc reads under Node into data/), split exactly as under Node.
 */
import { parseIdxImages, parseIdxLabels } from '../../common/data/idx-parse.js';
import { DEFAULT_VALIDATION_SIZE, splitMnist, type Mnist } from '../data/mnist_split.js';
import type { RandomStream } from '../random.js';

/** The files' names in the site's data folder. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

async function fetchBytes(base: string, name: string, onProgress?: (file: string) => void): Promise<Uint8Array> {
  const url = `${base}/${name}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  onProgress?.(name);
  return new Uint8Array(await response.arrayBuffer());
}

export async function fetchMnist(base: string, random: RandomStream, onProgress?: (file: string) => void): Promise<Mnist> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels].map((name) => fetchBytes(base, name, onProgress)),
  );
  return splitMnist(
    { images: parseIdxImages(MNIST_FILES.trainImages, trainImages!), labels: parseIdxLabels(MNIST_FILES.trainLabels, trainLabels!) },
    { images: parseIdxImages(MNIST_FILES.testImages, testImages!), labels: parseIdxLabels(MNIST_FILES.testLabels, testLabels!) },
    random,
    DEFAULT_VALIDATION_SIZE,
  );
}
