/**
 * `graphc data bench`'s pieces on small files named as the bench names them:
 * each format loads in a child process that reports the same examples and
 * its figures, and the table lists every format and thread count.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { DATA_FORMATS, formatLoadTable, measureLoad, PIXELS } from '../../../src/tools/data/bench.js';

/** Four "images" of 784 pixels: image i is all i·10, label i. */
function writeTinyMnist(dir: string): void {
  const count = 4;
  const pixels = Uint8Array.from({ length: count * PIXELS }, (_, k) => Math.floor(k / PIXELS) * 10);
  const labels = Uint8Array.from({ length: count }, (_, i) => i);
  const idx = (dims: number[], data: Uint8Array): Buffer => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt8(0x08, 2);
    header.writeUInt8(dims.length, 3);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    return Buffer.concat([header, data]);
  };
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx([count, 28, 28], pixels));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([count], labels));
  writeFileSync(join(dir, 'mnist-train-x.npy'), new Uint8Array(dump(pixels, [count, PIXELS])));
  writeFileSync(join(dir, 'mnist-train-y.npy'), new Uint8Array(dump(labels, [count])));
  const names = Array.from({ length: PIXELS }, (_, j) => `pixel${j}`);
  const rows = Array.from({ length: count }, (_, i) => [labels[i], ...pixels.subarray(i * PIXELS, (i + 1) * PIXELS)].join(','));
  writeFileSync(join(dir, 'mnist-train.csv'), `${['label', ...names].join(',')}\n${rows.join('\n')}\n`);
  const column = (j: number): Int32Array => Int32Array.from({ length: count }, (_, i) => pixels[i * PIXELS + j]!);
  const parquet = parquetWriteBuffer({
    columnData: [{ name: 'label', data: Int32Array.from(labels), type: 'INT32' }, ...names.map((name, j) => ({ name, data: column(j), type: 'INT32' as const }))],
  });
  writeFileSync(join(dir, 'mnist-train.parquet'), new Uint8Array(parquet));
}

describe('graphc data bench', () => {
  it('loads every format in a child process and reports its figures; the table has a row per format and thread count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-data-bench-'));
    writeTinyMnist(dir);
    const figures = [...DATA_FORMATS.map((format) => measureLoad(format, dir)), measureLoad('csv', dir, 2)];
    for (const figure of figures) {
      expect(figure.examples).toBe(4);
      expect(figure.float32Bytes).toBe(4 * (PIXELS + 1) * 4);
      expect(figure.seconds).toBeGreaterThan(0);
      expect(figure.peakRssBytes).toBeGreaterThanOrEqual(figure.rssBeforeBytes);
    }
    const table = formatLoadTable(figures).split('\n');
    expect(table[0]).toMatch(/^format +examples +wall \(median\) +cpu \(median\) +peak RSS/);
    expect(table.slice(1).map((line) => line.split(/\s{2,}/)[0])).toEqual(['csv', 'npy', 'parquet', 'idx', 'csv (2 threads)']);
  });
});
