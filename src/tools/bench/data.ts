/**
 * The data a benchmark feeds: each spec's own dataset (MNIST, or its files,
 * relative to the spec), loaded once however many targets share it.
 */
import { dirname, resolve } from 'node:path';
import { loadDataset } from '../../runtime/data/index.js';
import { specFile, type AnyCompiledModel } from '../../runtime/model.js';
import { RandomStream } from '../../runtime/random.js';
import type { BenchData } from './graphc.js';

export interface BenchDataOptions {
  readonly seed: number;
  readonly dataDir?: string;
}

export function benchDataLoader(options: BenchDataOptions): (model: AnyCompiledModel) => Promise<BenchData> {
  const loaded = new Map<string, Promise<BenchData>>();
  return (model) => {
    const baseDir = dirname(resolve(specFile(model)));
    const dataset = model.schedule.dataset;
    const key = dataset === 'mnist' ? 'mnist' : `${baseDir}\0${JSON.stringify(dataset)}`;
    let data = loaded.get(key);
    if (!data) {
      data = loadDataset(dataset, { baseDir, random: new RandomStream(options.seed, 'data'), ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}) });
      loaded.set(key, data);
    }
    return data;
  };
}
