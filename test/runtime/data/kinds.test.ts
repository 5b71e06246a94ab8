/**
 * The kinds of data beyond float features and classes, on small files written
 * here: int32 features (token ids, categories) from CSV, NPY and Parquet;
 * int32 lengths (batch.lengths); regression targets (batch.targets); sliding
 * windows over a series. A value an int32 cannot hold is GC616 at file:line
 * (CSV) or the row (binary formats).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { GraphcError, type Diagnostic } from '../../../src/common/diagnostics/diagnostic.js';
import type { FileDatasetConfig } from '../../../src/runtime/data/config.js';
import { loadDataFiles, loadSplit, slideWindows } from '../../../src/runtime/data/files.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { toTensors } from '../../../src/runtime/session.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-kinds-'));
let counter = 0;
function write(content: string | Uint8Array | ArrayBuffer, ext: string): string {
  const name = `k${counter++}.${ext}`;
  writeFileSync(join(dir, name), typeof content === 'string' ? content : new Uint8Array(content));
  return name;
}

async function failure(action: () => Promise<unknown>): Promise<Diagnostic> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GraphcError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('expected a GraphcError');
}

type ParquetColumn = { name: string; data: unknown[]; type: 'DOUBLE' | 'STRING' | 'INT32' | 'INT64' };
const parquet = (columns: ParquetColumn[]): ArrayBuffer => parquetWriteBuffer({ columnData: columns.map((c) => ({ ...c, data: c.data as never })) });

/** Three examples of four token ids (one past int24, where float32 would round), a class and a length each. */
const TOKENS = [
  [1, 2, 3, 0],
  [16777217, 5, 0, 0],
  [7, 8, 9, 10],
];
const LENGTHS = [3, 2, 4];
const CLASSES = [1, 0, 1];
const tokenCsv = (rows = TOKENS): string => `t0,t1,t2,t3,n,label\n${rows.map((r, i) => [...r, LENGTHS[i], CLASSES[i]].join(',')).join('\n')}\n`;
const intTable = (file: string, format: 'csv' | 'parquet' = 'csv'): FileDatasetConfig => ({
  format,
  train: file,
  test: file,
  feature_dtype: 'int32',
  lengths: { column: 'n' },
  label: { column: 'label', classes: 2 },
});

describe('int32 features and lengths', () => {
  it('read token ids exactly as int32 from CSV, NPY (int32, int64, uint8) and Parquet, with the lengths beside them', async () => {
    const csv = write(tokenCsv(), 'csv');
    const pq = write(
      parquet([
        ...[0, 1, 2, 3].map((j) => ({ name: `t${j}`, data: TOKENS.map((r) => r[j]!), type: 'INT32' as const })),
        { name: 'n', data: LENGTHS.map(BigInt), type: 'INT64' },
        { name: 'label', data: CLASSES, type: 'INT32' },
      ]),
      'parquet',
    );
    const y = write(dump(new Int32Array(CLASSES), [3]), 'npy');
    const n = write(dump(new BigInt64Array(LENGTHS.map(BigInt)), [3]), 'npy');
    const npy = (x: string): FileDatasetConfig => ({ format: 'npy', train: { features: x, labels: y, lengths: n }, test: { features: x, labels: y, lengths: n }, feature_dtype: 'int32', label: { classes: 2 } });
    const x32 = write(dump(new Int32Array(TOKENS.flat()), [3, 4]), 'npy');
    const x64 = write(dump(new BigInt64Array(TOKENS.flat().map(BigInt)), [3, 4]), 'npy');
    for (const config of [intTable(csv), intTable(pq, 'parquet'), npy(x32), npy(x64)]) {
      const split = await loadSplit(config, config.train, dir);
      expect(split.features).toBeInstanceOf(Int32Array);
      expect(Array.from(split.features)).toEqual(TOKENS.flat());
      expect(Array.from(split.lengths!)).toEqual(LENGTHS);
      expect(Array.from(split.labelIds)).toEqual(CLASSES);
    }
    const small = TOKENS.map((r) => r.map((t) => t % 256));
    const x8 = write(dump(new Uint8Array(small.flat()), [3, 4]), 'npy');
    expect(Array.from((await loadSplit(npy(x8), npy(x8).train, dir)).features)).toEqual(small.flat());
  });

  it('feed an int32 features tensor and an int32 lengths tensor, batch by batch', async () => {
    const csv = write(tokenCsv(), 'csv');
    const data = await loadDataFiles(intTable(csv), { baseDir: dir, random: new RandomStream(3, 'data') });
    expect(data.train.shape).toEqual({ features: [4], classes: 2, featureDtype: 'int32', lengths: true });
    const batch = data.train.nextBatch(3);
    const tensors = toTensors(batch);
    expect([tensors.features.dtype, tensors.features.shape]).toEqual(['int32', [3, 4]]);
    expect(tensors.lengths!.dtype).toBe('int32');
    // Each example keeps its own length and class through the shuffle.
    const rows = Array.from({ length: 3 }, (_, i) => Array.from(batch.features.subarray(i * 4, i * 4 + 4)));
    rows.forEach((row, i) => {
      const k = TOKENS.findIndex((t) => t.join() === row.join());
      expect(batch.lengths![i]).toBe(LENGTHS[k]);
      expect(batch.labelIds[i]).toBe(CLASSES[k]);
    });
    expect(Array.from(tensors.features.dataSync()).sort((a, b) => a - b)).toEqual(TOKENS.flat().sort((a, b) => a - b));
    tensors.features.dispose();
  });

  it('stop at a value that is not an int32: GC616 at file:line for CSV, the row for NPY and Parquet', async () => {
    const bad = write(tokenCsv([TOKENS[0]!, [4, 2.5, 0, 0], TOKENS[2]!]), 'csv');
    const d = await failure(() => loadSplit(intTable(bad), bad, dir));
    expect([d.code, d.location?.file, d.location?.line, d.message]).toEqual(['GC616', `${dir}/${bad}`.replace(`${process.cwd()}/`, ''), 3, "column 't1': 2.5 is not an integer in int32's range (features are int32)"]);
    const big = write(tokenCsv([TOKENS[0]!, [4, 3e9, 0, 0], TOKENS[2]!]), 'csv');
    expect((await failure(() => loadSplit(intTable(big), big, dir))).message).toMatch(/column 't1': 3000000000 is not an integer/);
    const badLength = write('t0,t1,t2,t3,n,label\n1,2,3,4,1.5,0\n', 'csv');
    expect((await failure(() => loadSplit(intTable(badLength), badLength, dir))).message).toBe("column 'n': 1.5 is not an integer in int32's range (lengths are int32)");

    const y = write(dump(new Int32Array([0, 1]), [2]), 'npy');
    const x64 = write(dump(new BigInt64Array([1n, 2n, 3n, 5000000000n]), [2, 2]), 'npy');
    const npyConfig: FileDatasetConfig = { format: 'npy', train: { features: x64, labels: y }, test: { features: x64, labels: y }, feature_dtype: 'int32', label: { classes: 2 } };
    const dn = await failure(() => loadSplit(npyConfig, npyConfig.train, dir));
    expect([dn.code, dn.message]).toEqual(['GC616', expect.stringMatching(/row 1, column 'feature 1': 5000000000 is not an integer/)]);
    const floats = write(dump(new Float32Array([1, 2, 3, 4]), [2, 2]), 'npy');
    const df = await failure(() => loadSplit({ ...npyConfig, train: { features: floats, labels: y } }, { features: floats, labels: y }, dir));
    expect([df.code, df.message]).toEqual(['GC617', expect.stringMatching(/f4 values cannot be int32 features: save them as integers/)]);

    const pq = write(parquet([{ name: 't0', data: [1, 2.5], type: 'DOUBLE' }, { name: 'n', data: [1, 1], type: 'INT32' }, { name: 'label', data: [0, 1], type: 'INT32' }]), 'parquet');
    const dp = await failure(() => loadSplit(intTable(pq, 'parquet'), pq, dir));
    expect([dp.code, dp.message]).toEqual(['GC616', expect.stringMatching(/row 1, column 't0': 2.5 is not an integer/)]);
  });
});

describe('regression targets', () => {
  const table = 'a,b,y,z\n1,2,10,-1\n3,4,20,-2\n5,6,30,-3\n';
  it('label.column without classes feeds float32 targets [batch]; label.columns [batch, k]; the target columns are not features', async () => {
    const csv = write(table, 'csv');
    const one: FileDatasetConfig = { format: 'csv', train: csv, test: csv, features: { exclude: ['z'] }, label: { column: 'y' } };
    const data = await loadDataFiles(one, { baseDir: dir, random: new RandomStream(1, 'data') });
    expect(data.test.shape).toEqual({ features: [2], classes: 0, targets: [] });
    expect(Array.from(data.test.features)).toEqual([1, 2, 3, 4, 5, 6]);
    const t = toTensors(data.test.nextBatch(3));
    expect([t.targets!.dtype, t.targets!.shape, t.labels.shape]).toEqual(['float32', [3], [3, 0]]);
    // The shuffle keeps each row's target with its features.
    const f = t.features.arraySync() as number[][];
    (t.targets!.arraySync() as number[]).forEach((y, i) => expect(y).toBe(f[i]![0]! * 5 + 5));

    const two: FileDatasetConfig = { format: 'csv', train: csv, test: csv, label: { columns: ['y', 'z'] } };
    const split = await loadSplit(two, csv, dir);
    expect([split.featureShape, split.targetShape, Array.from(split.targets!)]).toEqual([[2], [2], [10, -1, 20, -2, 30, -3]]);
    const pq = write(parquet([{ name: 'a', data: [1, 3], type: 'DOUBLE' }, { name: 'y', data: [0.5, 1.5], type: 'DOUBLE' }]), 'parquet');
    const fromParquet = await loadSplit({ format: 'parquet', train: pq, test: pq, label: { column: 'y' } }, pq, dir);
    expect([Array.from(fromParquet.features), Array.from(fromParquet.targets!)]).toEqual([[1, 3], [0.5, 1.5]]);
  });

  it('an NPY labels array of floats is targets, [N] or [N, k]; a missing target is GC609', async () => {
    const x = write(dump(new Float32Array([1, 2, 3, 4]), [2, 2]), 'npy');
    const y = write(dump(new Float64Array([0.25, 0.75, 1, 2]), [2, 2]), 'npy');
    const config: FileDatasetConfig = { format: 'npy', train: { features: x, labels: y }, test: { features: x, labels: y }, label: {} };
    const split = await loadSplit(config, config.train, dir);
    expect([split.targetShape, Array.from(split.targets!)]).toEqual([[2], [0.25, 0.75, 1, 2]]);
    const missing = write('a,y\n1,2\n3,\n', 'csv');
    const d = await failure(() => loadSplit({ format: 'csv', train: missing, test: missing, label: { column: 'y' } }, missing, dir));
    expect([d.code, d.location?.line, d.message]).toEqual(['GC609', 3, "column 'y': '' is not a number"]);
  });
});

describe('windows over a series', () => {
  /** t, x = 10t, y = 100t for t = 0..6: every window's contents are known. */
  const series = `t,x,y\n${Array.from({ length: 7 }, (_, t) => `${t},${10 * t},${100 * t}`).join('\n')}\n`;
  it('window w holds rows [w·stride, w·stride + length) and the target horizon rows after its last', async () => {
    const csv = write(series, 'csv');
    const config: FileDatasetConfig = { format: 'csv', train: csv, test: csv, features: { columns: ['x', 'y'] }, label: { column: 'y' }, window: { length: 3, horizon: 2, stride: 2 } };
    const data = await loadDataFiles(config, { baseDir: dir, random: new RandomStream(1, 'data') });
    // rows 0..6: windows start at 0 and 2 (a start of 4 would need row 4+3-1+2 = 8).
    expect(data.test.count).toBe(2);
    expect(data.test.shape).toEqual({ features: [3, 2], classes: 0, targets: [] });
    expect(Array.from(data.test.features)).toEqual([0, 0, 10, 100, 20, 200, 20, 200, 30, 300, 40, 400]);
    expect(Array.from(data.test.labels)).toEqual([400, 600]);
    const stride1 = slideWindows(await loadSplit(config, csv, dir), { length: 2 }, csv);
    expect([stride1.count, Array.from(stride1.targets!)]).toEqual([5, [200, 300, 400, 500, 600]]);
  });

  it('a series too short for one window and its target is GC615', async () => {
    const csv = write('x,y\n1,2\n3,4\n', 'csv');
    const config: FileDatasetConfig = { format: 'csv', train: csv, test: csv, label: { column: 'y' }, window: { length: 2 } };
    const d = await failure(() => loadDataFiles(config, { baseDir: dir, random: new RandomStream(1, 'data') }));
    expect([d.code, d.message]).toEqual(['GC615', expect.stringMatching(/has 2 rows: a window of 2 and a target 1 after it need at least 3/)]);
  });
});
