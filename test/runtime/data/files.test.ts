/**
 * The file loaders on small files written here, in every format, and broken
 * variants of each: a bad value is a GC609 naming file:line (CSV) or the row
 * index (binary formats) and the column; an array that cannot be features or
 * labels GC610; a features/labels count mismatch GC611; a missing file GC601.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { GraphcError, type Diagnostic } from '../../../src/common/diagnostics/diagnostic.js';
import type { FileDatasetConfig } from '../../../src/runtime/data/config.js';
import { loadDataFiles, loadSplit } from '../../../src/runtime/data/files.js';
import { digestFiles } from '../../../src/runtime/data/load.js';
import { RandomStream } from '../../../src/runtime/random.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-files-'));
let counter = 0;
/** Writes `content` to a fresh file in the test folder; returns its name there. */
function write(content: string | Uint8Array | ArrayBuffer, ext: string): string {
  const name = `f${counter++}.${ext}`;
  writeFileSync(join(dir, name), typeof content === 'string' ? content : new Uint8Array(content));
  return name;
}

/** Six examples of three features, classes a/b/c: the same data in every format. */
const FEATURES = [
  [0, 1, 2],
  [10, 11, 12],
  [20, 21, 22],
  [30, 31, 32],
  [40, 41, 42],
  [50, 51, 52],
];
const LABELS = [0, 1, 2, 0, 1, 2];
const NAMES = ['a', 'b', 'c'];

const csvText = (rows: readonly (readonly (string | number)[])[]): string => `x0,x1,x2,label\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const goodCsv = (): string => csvText(FEATURES.map((f, i) => [...f, NAMES[LABELS[i]!]!]));

function idx(dims: number[], data: number[]): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

function parquet(columns: Array<{ name: string; data: unknown[]; type: 'DOUBLE' | 'STRING' | 'INT32' }>): ArrayBuffer {
  return parquetWriteBuffer({ columnData: columns.map((c) => ({ ...c, data: c.data as never })) });
}

const csvConfig = (train: string, test = train, extra: Partial<FileDatasetConfig> = {}): FileDatasetConfig => ({
  format: 'csv',
  train,
  test,
  label: { column: 'label', classes: NAMES },
  ...extra,
});

/** The one diagnostic `action` fails with. */
async function failure(action: () => Promise<unknown>): Promise<Diagnostic> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GraphcError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('expected a GraphcError');
}

describe('data file loaders', () => {
  it('read the same examples from csv, npy, parquet and idx (scaled, as float32 and class ids)', async () => {
    const flat = FEATURES.flat();
    const csv = write(goodCsv(), 'csv');
    const x = write(dump(new Uint8Array(flat), [6, 3]), 'npy');
    const y = write(dump(new BigInt64Array(LABELS.map(BigInt)), [6]), 'npy');
    const pq = write(
      parquet([
        ...[0, 1, 2].map((j) => ({ name: `x${j}`, data: FEATURES.map((f) => f[j]!), type: 'DOUBLE' as const })),
        { name: 'label', data: LABELS.map((l) => NAMES[l]!), type: 'STRING' },
      ]),
      'parquet',
    );
    const images = write(idx([6, 1, 3], flat), 'idx');
    const labels = write(idx([6], LABELS), 'idx');
    const scale = 0.5;
    const loaded = [
      await loadSplit(csvConfig(csv, csv, { scale }), csv, dir),
      await loadSplit({ format: 'npy', train: { features: x, labels: y }, test: { features: x, labels: y }, label: { classes: 3 }, scale }, { features: x, labels: y }, dir),
      await loadSplit({ ...csvConfig(pq), format: 'parquet', scale }, pq, dir),
      await loadSplit({ format: 'idx', train: { images, labels }, test: { images, labels }, label: { classes: 3 }, scale }, { images, labels }, dir),
    ];
    for (const split of loaded) {
      expect(split.count).toBe(6);
      expect(split.featureShape).toEqual([3]);
      expect(Array.from(split.features)).toEqual(flat.map((v) => v * Math.fround(scale)));
      expect(Array.from(split.labelIds)).toEqual(LABELS);
    }
  });

  it('keeps an NPY array’s rank: [N, 2, 2] examples have shape [2, 2]', async () => {
    const x = write(dump(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]), 'npy');
    const y = write(dump(new Int32Array([1, 0]), [2]), 'npy');
    const split = await loadSplit({ format: 'npy', train: { features: x, labels: y }, test: { features: x, labels: y }, label: { classes: 2 } }, { features: x, labels: y }, dir);
    expect(split.featureShape).toEqual([2, 2]);
    expect(Array.from(split.features)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('picks feature columns by list, exclusion or range, and holds out the first N training rows for validation', async () => {
    const csv = write(goodCsv(), 'csv');
    const pick = async (features: FileDatasetConfig['features']): Promise<number[]> => Array.from((await loadSplit(csvConfig(csv, csv, { features }), csv, dir)).features.subarray(0, 2));
    expect(await pick({ columns: ['x2', 'x0'] })).toEqual([2, 0]);
    expect(await pick({ exclude: ['x0'] })).toEqual([1, 2]);
    expect(await pick({ range: ['x1', 'x2'] })).toEqual([1, 2]);
    expect(await pick({ range: [0, 1] })).toEqual([0, 1]);

    const data = await loadDataFiles(csvConfig(csv, csv, { validation: 2 }), { baseDir: dir, random: new RandomStream(1, 'data') });
    expect([data.validation.count, data.train.count, data.test.count]).toEqual([2, 4, 6]);
    expect(data.train.features[0]).toBe(20);
    expect(Array.from(data.train.labels.subarray(0, 3))).toEqual([0, 0, 1]);
    expect(data.train.shape).toEqual({ features: [3], classes: 3 });
    const [digest] = await digestFiles(data.files);
    expect(digest).toMatchObject({ split: 'train', role: 'table', bytes: goodCsv().length });
    expect(digest!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('CSV: each bad row is GC609 at file:line, naming the column', () => {
    const cases: Array<[string, (string | number)[][], number, string, string]> = [
      ['a non-numeric cell', [[0, 1, 2, 'a'], [1, 'x', 2, 'b']], 3, 'x1', "'x' is not a number"],
      ['an empty cell', [[0, 1, 2, 'a'], [1, '', 2, 'b']], 3, 'x1', "'' is not a number"],
      ['NaN', [[0, 'NaN', 2, 'a']], 2, 'x1', 'NaN is not a finite number'],
      ['an infinity', [[0, 1, '-inf', 'a']], 2, 'x2', '-inf is not a finite number'],
      ['a short row', [[0, 1, 2, 'a'], [0, 1, 2, 'b'], [0, 1]], 4, 'x2', 'the row has 2 cells, the header 4'],
      ['an unknown class', [[0, 1, 2, 'd']], 2, 'label', "'d' is not one of the classes 'a', 'b', 'c'"],
    ];
    for (const [what, rows, line, column, words] of cases) {
      it(what, async () => {
        const csv = write(csvText(rows), 'csv');
        const d = await failure(() => loadSplit(csvConfig(csv), csv, dir));
        expect(d.code).toBe('GC609');
        expect(d.location).toMatchObject({ file: expect.stringMatching(new RegExp(`${csv}$`)), line });
        expect(d.message).toBe(`column '${column}': ${words}`);
      });
    }

    it('an integer label out of range for classes: N', async () => {
      const csv = write(csvText([[0, 1, 2, 3]]), 'csv');
      const d = await failure(() => loadSplit({ ...csvConfig(csv), label: { column: 'label', classes: 3 } }, csv, dir));
      expect(d.message).toBe("column 'label': label 3 is not a class id 0..2");
    });

    it('a missing file is GC601, a column not in the header GC607, an unterminated quote GC608', async () => {
      expect((await failure(() => loadSplit(csvConfig('nothing.csv'), 'nothing.csv', dir))).code).toBe('GC601');
      const csv = write(goodCsv(), 'csv');
      const d = await failure(() => loadSplit(csvConfig(csv, csv, { features: { columns: ['x0', 'x9'] } }), csv, dir));
      expect([d.code, d.message]).toEqual(['GC607', `${d.location!.file} has no column 'x9'`]);
      const broken = write('x0,x1,x2,label\n1,2,"3,a\n', 'csv');
      expect((await failure(() => loadSplit(csvConfig(broken), broken, dir))).code).toBe('GC608');
    });
  });

  describe('CSV in worker threads (a file cut at line starts, parts parsed at once)', () => {
    /** 500 rows of 3 features, CRLF line endings, blank lines sprinkled in, so part boundaries fall anywhere. */
    const rows = Array.from({ length: 500 }, (_, i) => [i, i * 2 + 0.5, -i, NAMES[i % 3]!]);
    const text = (lines: readonly (readonly (string | number)[])[]): string =>
      `x0,x1,x2,label\r\n${lines.map((r, i) => `${r.join(',')}${i % 7 === 3 ? '\r\n\r\n' : '\r\n'}`).join('')}`;

    it('read the same rows as one stream, for any number of threads', async () => {
      const csv = write(text(rows), 'csv');
      const one = await loadSplit(csvConfig(csv), csv, dir, { threads: 1 });
      expect(one.count).toBe(500);
      for (const threads of [2, 3, 7]) {
        const split = await loadSplit(csvConfig(csv), csv, dir, { threads });
        expect(split.count).toBe(500);
        expect(Array.from(split.features)).toEqual(Array.from(one.features));
        expect(Array.from(split.labelIds)).toEqual(Array.from(one.labelIds));
      }
    });

    it('report a bad value in a later part at its line in the file', async () => {
      const broken = rows.map((r, i) => (i === 400 ? [r[0]!, 'oops', r[2]!, r[3]!] : r));
      const body = text(broken);
      const line = body.split('\n').findIndex((l) => l.includes('oops')) + 1;
      const csv = write(body, 'csv');
      const d = await failure(() => loadSplit(csvConfig(csv), csv, dir, { threads: 3 }));
      expect([d.code, d.location?.line, d.message]).toEqual(['GC609', line, "column 'x1': 'oops' is not a number"]);
    });

    it('leave a file with quotes to one stream (a quoted cell may hold a line break)', async () => {
      const csv = write('x0,x1,x2,label\n1,2,3,"a"\n4,5,6,"b\nc"\n', 'csv');
      const d = await failure(() => loadSplit(csvConfig(csv), csv, dir, { threads: 2 }));
      expect([d.code, d.location?.line, d.message]).toEqual(['GC609', 4, "column 'label': 'b\nc' is not one of the classes 'a', 'b', 'c'"]);
    });
  });

  describe('NPY', () => {
    const pair = (x: ArrayBuffer, y: ArrayBuffer): { features: string; labels: string } => ({ features: write(x, 'npy'), labels: write(y, 'npy') });
    const config = (files: { features: string; labels: string }, classes = 3): FileDatasetConfig => ({ format: 'npy', train: files, test: files, label: { classes } });
    const load = (files: { features: string; labels: string }, classes = 3) => loadSplit(config(files, classes), files, dir);

    it('NaN in float features is GC609 naming the row index and the feature', async () => {
      const d = await failure(() => load(pair(dump(new Float32Array([1, 2, 3, NaN]), [2, 2]), dump(new Int32Array([0, 1]), [2]))));
      expect(d.code).toBe('GC609');
      expect(d.message).toMatch(/f\d+\.npy row 1, column 'feature 1': NaN is not a finite number$/);
    });

    it('a label out of range is GC609 at its row; float labels, string features and 1-D features are GC610', async () => {
      const d = await failure(() => load(pair(dump(new Float32Array([1, 2, 3, 4]), [2, 2]), dump(new Int32Array([0, 7]), [2]))));
      expect(d.message).toMatch(/row 1, column 'label': label 7 is not a class id 0\.\.2$/);
      const floatLabels = await failure(() => load(pair(dump(new Float32Array([1, 2]), [2, 1]), dump(new Float32Array([0, 1]), [2]))));
      expect([floatLabels.code, floatLabels.message]).toEqual(['GC610', expect.stringMatching(/labels of dtype f4 are not class ids/)]);
      const strings = await failure(() => load(pair(dump(['ab', 'cd'], [2, 1]), dump(new Int32Array([0, 1]), [2]))));
      expect([strings.code, strings.message]).toEqual(['GC610', expect.stringMatching(/dtype U2 cannot be features/)]);
      const flat = await failure(() => load(pair(dump(new Float32Array([1, 2]), [2]), dump(new Int32Array([0, 1]), [2]))));
      expect(flat.message).toMatch(/features have shape \[2\]; they need at least 2 dimensions/);
    });

    it('features and labels of different lengths are GC611; a file that is no NPY GC608', async () => {
      const d = await failure(() => load(pair(dump(new Float32Array([1, 2, 3]), [3, 1]), dump(new Int32Array([0, 1]), [2]))));
      expect([d.code, d.message]).toEqual(['GC611', expect.stringMatching(/holds 3 examples but .* holds 2 labels$/)]);
      const junk = { features: write('not numpy at all', 'npy'), labels: write(dump(new Int32Array([0]), [1]), 'npy') };
      expect((await failure(() => load(junk))).code).toBe('GC608');
    });
  });

  describe('Parquet', () => {
    const config = (file: string): FileDatasetConfig => ({ format: 'parquet', train: file, test: file, label: { column: 'label', classes: NAMES } });
    const table = (x0: unknown[], label: unknown[]): string =>
      write(
        parquet([
          { name: 'x0', data: x0, type: 'DOUBLE' },
          { name: 'label', data: label, type: 'STRING' },
        ]),
        'parquet',
      );

    it('a null feature, an infinity and an unknown class are GC609 at their row index', async () => {
      const nullCell = table([1, null, 3], ['a', 'b', 'c']);
      expect((await failure(() => loadSplit(config(nullCell), nullCell, dir))).message).toMatch(/row 1, column 'x0': no value \(null\)$/);
      const inf = table([1, 2, Infinity], ['a', 'b', 'c']);
      expect((await failure(() => loadSplit(config(inf), inf, dir))).message).toMatch(/row 2, column 'x0': Infinity is not a finite number$/);
      const unknown = table([1, 2, 3], ['a', 'z', 'c']);
      expect((await failure(() => loadSplit(config(unknown), unknown, dir))).message).toMatch(/row 1, column 'label': 'z' is not one of the classes/);
    });

    it('a file that is no Parquet is GC608', async () => {
      const junk = write('x0,label\n1,a\n', 'parquet');
      const d = await failure(() => loadSplit(config(junk), junk, dir));
      expect([d.code, d.message]).toEqual(['GC608', expect.stringMatching(/not a readable parquet file/)]);
    });
  });

  describe('IDX', () => {
    it('labels beyond classes are GC602; images and labels of different counts GC603', async () => {
      const files = { images: write(idx([2, 1, 2], [1, 2, 3, 4]), 'idx'), labels: write(idx([2], [0, 5]), 'idx') };
      const config: FileDatasetConfig = { format: 'idx', train: files, test: files, label: { classes: 3 } };
      expect((await failure(() => loadSplit(config, files, dir))).code).toBe('GC602');
      const uneven = { images: files.images, labels: write(idx([3], [0, 1, 2]), 'idx') };
      expect((await failure(() => loadSplit(config, uneven, dir))).code).toBe('GC603');
    });
  });

  it('a validation split that leaves no training rows is GC610', async () => {
    const csv = write(goodCsv(), 'csv');
    const d = await failure(() => loadDataFiles(csvConfig(csv, csv, { validation: 6 }), { baseDir: dir, random: new RandomStream(1, 'data') }));
    expect([d.code, d.message]).toEqual(['GC610', expect.stringMatching(/6 examples leave none to train on after 6 held out/)]);
  });

  it('a data folder can be nested: paths are relative to the spec folder', async () => {
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'nested', 'train.csv'), goodCsv());
    const split = await loadSplit(csvConfig('nested/train.csv'), 'nested/train.csv', dir);
    expect(split.count).toBe(6);
  });
});
