/**
 * `graphc data bench`: how long loading MNIST's 60,000 training examples
 * (784 pixels and a label each) takes in each format graphc reads, and how
 * much memory it needs. The same data is written once as CSV (a label column
 * and 784 pixel columns), NPY (uint8 pixels [60000, 784], uint8 labels),
 * Parquet (785 INT32 columns) and raw IDX; each load then runs in a fresh
 * process (bin/data-load.js), so its peak resident set is its own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteFile } from 'hyparquet-writer';
import { dump } from 'npyjs';
import { readIdx } from '../../common/data/idx.js';
import type { FileDatasetConfig } from '../../runtime/data/config.js';
import { locateMnist } from '../../runtime/data/mnist.js';

export const DATA_FORMATS = ['csv', 'npy', 'parquet', 'idx'] as const;
export type BenchFormat = (typeof DATA_FORMATS)[number];

export const PIXELS = 784;

/** The dataset config that reads the bench's files of `format` (paths relative to the bench folder). */
export function benchConfig(format: BenchFormat): FileDatasetConfig {
  const label = { classes: 10 };
  switch (format) {
    case 'csv':
      return { format, train: 'mnist-train.csv', test: 'mnist-train.csv', label: { column: 'label', classes: 10 }, scale: 1 / 255 };
    case 'parquet':
      return { format, train: 'mnist-train.parquet', test: 'mnist-train.parquet', label: { column: 'label', classes: 10 }, scale: 1 / 255 };
    case 'npy': {
      const files = { features: 'mnist-train-x.npy', labels: 'mnist-train-y.npy' };
      return { format, train: files, test: files, label, scale: 1 / 255 };
    }
    case 'idx': {
      const files = { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' };
      return { format, train: files, test: files, label, scale: 1 / 255 };
    }
  }
}

/** Writes MNIST's training split into `dir` in every format, unless the files are there already; returns what was written. */
export async function writeBenchFiles(dir: string, dataDir?: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const mnist = locateMnist(dataDir);
  const images = readIdx(mnist.trainImages);
  const labels = readIdx(mnist.trainLabels);
  const count = labels.dims[0]!;
  const written: string[] = [];
  const once = async (name: string, write: (path: string) => void | Promise<void>): Promise<void> => {
    const path = join(dir, name);
    if (existsSync(path)) return;
    await write(path);
    written.push(path);
  };
  await once('train-images-idx3-ubyte', (path) => writeFileSync(path, idxBytes(images.dims, images.data)));
  await once('train-labels-idx1-ubyte', (path) => writeFileSync(path, idxBytes(labels.dims, labels.data)));
  await once('mnist-train-x.npy', (path) => writeFileSync(path, new Uint8Array(dump(images.data, [count, PIXELS]))));
  await once('mnist-train-y.npy', (path) => writeFileSync(path, new Uint8Array(dump(labels.data, [count]))));
  await once('mnist-train.csv', (path) => {
    const header = ['label', ...Array.from({ length: PIXELS }, (_, j) => `pixel${j}`)].join(',');
    const lines = [header];
    for (let i = 0; i < count; i++) lines.push(`${labels.data[i]},${images.data.subarray(i * PIXELS, (i + 1) * PIXELS).join(',')}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
  });
  await once('mnist-train.parquet', (path) => {
    const column = (j: number): Int32Array => {
      const values = new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = images.data[i * PIXELS + j]!;
      return values;
    };
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'label', data: Int32Array.from(labels.data), type: 'INT32' },
        ...Array.from({ length: PIXELS }, (_, j) => ({ name: `pixel${j}`, data: column(j), type: 'INT32' as const })),
      ],
    });
  });
  return written;
}

function idxBytes(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** One load, as the child process reports it. */
export interface LoadFigure {
  readonly format: BenchFormat;
  /** CSV: the worker threads asked for (absent: as many as the loader chooses). */
  readonly threads?: number;
  readonly examples: number;
  /** Wall-clock and CPU (user + system) seconds of the load. */
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** The child's resident set before loading (Node, graphc's modules) and its peak after, in bytes. */
  readonly rssBeforeBytes: number;
  readonly peakRssBytes: number;
  /** The loaded float32 features and labels, in bytes. */
  readonly float32Bytes: number;
}

/** Loads `format` from `dir` in a fresh process and returns its figure. */
export function measureLoad(format: BenchFormat, dir: string, threads?: number): LoadFigure {
  const child = fileURLToPath(new URL('../../../bin/data-load.js', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', child, format, dir, ...(threads !== undefined ? [String(threads)] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as LoadFigure;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** One line per format: medians over the runs, and every run's load time. */
export function formatLoadTable(figures: readonly LoadFigure[]): string {
  const label = (x: LoadFigure): string => (x.threads !== undefined ? `${x.format} (${x.threads} thread${x.threads === 1 ? '' : 's'})` : x.format);
  const formats = [...new Set(figures.map(label))];
  const rows = formats.map((format) => {
    const runs = figures.filter((x) => label(x) === format);
    const seconds = median(runs.map((r) => r.seconds));
    const cpuSeconds = median(runs.map((r) => r.cpuSeconds));
    const peak = median(runs.map((r) => r.peakRssBytes));
    const before = median(runs.map((r) => r.rssBeforeBytes));
    const f32 = runs[0]!.float32Bytes;
    return [
      format,
      String(runs[0]!.examples),
      `${seconds.toFixed(2)} s`,
      `${cpuSeconds.toFixed(2)} s`,
      mib(peak),
      mib(peak - before),
      `${((peak - before) / f32).toFixed(2)}×`,
      runs.map((r) => `${r.seconds.toFixed(2)}/${r.cpuSeconds.toFixed(2)}`).join(' '),
    ];
  });
  const header = ['format', 'examples', 'wall (median)', 'cpu (median)', 'peak RSS', 'peak − before', '÷ float32 size', 'each run, wall/cpu (s)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
