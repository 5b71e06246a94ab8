/**
 * A spec's own table in a page: graphc bundle loads the files as graphc run
 * does (every format, scale, validation rows held out) and writes each split's
 * arrays as raw little-endian bytes; the page fetches them into the same
 * DataSets, shuffled by the same stream, so it trains on what `graphc run`
 * trains on, in the same order.
 */
import type { ExampleShape } from '../data/dataset.js';
import { DataSet } from '../data/dataset.js';
import type { RandomStream } from '../random.js';

/** data/table.json: each split's count and the example's shape; the arrays are data/<split>-{features,labels}.bin. */
export interface TableManifest {
  readonly shape: ExampleShape;
  readonly train: number;
  readonly test: number;
}

export const TABLE_MANIFEST = 'table.json';

export const tableFile = (split: 'train' | 'test', part: 'features' | 'labels'): string => `${split}-${part}.bin`;

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

export async function fetchTable(base: string, random: RandomStream): Promise<{ train: DataSet; test: DataSet; shape: ExampleShape }> {
  const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(`${base}/${TABLE_MANIFEST}`))) as TableManifest;
  const split = async (name: 'train' | 'test'): Promise<DataSet> => {
    const [features, labels] = await Promise.all([fetchBytes(`${base}/${tableFile(name, 'features')}`), fetchBytes(`${base}/${tableFile(name, 'labels')}`)]);
    const values = manifest.shape.featureDtype === 'int32' ? new Int32Array(features) : new Float32Array(features);
    return new DataSet(values, new Float32Array(labels), random, manifest.shape);
  };
  return { train: await split('train'), test: await split('test'), shape: manifest.shape };
}
