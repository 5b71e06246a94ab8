import type { Command } from 'commander';
import { Option } from 'commander';
import { classNames, findOutputNode, findPredictionNode } from '../../tools/export/output-node.js';
import { readPredictInput, type PredictExamples } from '../../tools/predict/features.js';
import { readDigitPng } from '../../tools/predict/image.js';
import { BACKENDS, initBackend, type BackendRequest } from '../../runtime/backends.js';
import { MNIST_SHAPE, type FileDatasetConfig } from '../../runtime/data/index.js';
import { backendValue } from '../options.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { CHECKPOINT_OPTION_HELP, checkpointLine, openTrainedRun } from '../trained-run.js';
import { DEFAULT_OUT_DIR } from '../compiled-module.js';

interface PredictFlags {
  checkpoint?: 'best' | 'last';
  backend: BackendRequest;
  output?: string;
  format: 'text' | 'json';
  outDir: string;
}

/** Softmax of scores, in float64. */
export function softmax(scores: ArrayLike<number>): number[] {
  const values = Array.from(scores);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify examples with a run\'s checkpoint and print the class probabilities (a regression model\'s predicted values): a picture of a digit for an image set, a CSV row, a CSV file or an NPY file for data files')
    .argument('<dir>', 'a run folder (graphc run --out DIR) holding checkpoint.gck, or a checkpoint file (graphc import\'s NAME.gck)')
    .argument(
      '<input>',
      'a PNG of one digit (28×28, or larger: padded to a square and shrunk; a dark digit on a light background is inverted to MNIST\'s light-on-dark); ' +
        'or, for a model trained on data files, one example\'s features as a CSV row ("5.1,3.5,1.4,0.2"), a .csv file with a header row, or a .npy file',
    )
    .option('--output <node>', 'the node holding the class probabilities (default: the graph\'s softmax over [batch, 10])')
    .addOption(new Option('--backend <name>', 'where tensors compute').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .addOption(new Option('--format <format>', 'how the result is printed').choices(['text', 'json']).default('text'))
    .addOption(new Option('--checkpoint <which>', CHECKPOINT_OPTION_HELP).choices(['best', 'last']))
    .option('--out-dir <dir>', 'where the run\'s module is compiled to if needed', DEFAULT_OUT_DIR)
    .addHelpText('after', '\nExamples:\n  $ graphc predict runs/bigru-20250101-120000 digit.png\n  $ graphc predict runs/mlp seven.png --format json\n')
    .action(async (dir: string, input: string, flags: PredictFlags) => {
      const picture = input.toLowerCase().endsWith('.png');
      const digit = picture ? readDigitPng(input) : undefined;
      const backend = await initBackend(flags.backend);
      process.stderr.write(`graphc: backend ${backend.name} on ${backend.device}\n`);
      const run = await openTrainedRun(dir, flags.outDir, flags.checkpoint);
      process.stderr.write(`${checkpointLine(run)}\n`);
      const dataset = run.trained.model.schedule.dataset;
      if (dataset !== 'mnist' && dataset.label.classes === undefined) return predictValues(run, input, flags, digit !== undefined);
      const output = findOutputNode(run.graph, flags.output);
      const names = classNames(run.graph);
      const featuresPlaceholder = Object.entries(run.graph.train.feeds.eval).find(([, v]) => v === 'batch.features' || v === 'batch.images')?.[0];
      const takes = (run.graph.placeholders.find((p) => p.name === featuresPlaceholder)?.type.shape.slice(1) ?? MNIST_SHAPE.features) as number[];
      let examples: PredictExamples;
      if (digit) {
        if (dataset !== 'mnist' && dataset.format !== 'idx') fail('GC612', { input, problem: { kind: 'image_for_table' } }, { file: input });
        examples = { features: digit.pixels, count: 1 };
      } else {
        examples = readPredictInput(input, dataset === 'mnist' ? { format: 'idx', train: '', test: '', label: { classes: 10 } } : dataset, takes, feedsLengths(run));
      }
      const featureDtype = dataset !== 'mnist' && dataset.feature_dtype === 'int32' ? { featureDtype: 'int32' as const } : {};
      let values: Float32Array;
      try {
        const shape = { features: takes, classes: names.length, ...featureDtype, ...(examples.lengths ? { lengths: true } : {}) };
        [values] = run.trained.run(examples.features, new Float32Array(examples.count * names.length), examples.count, [output.node.name], shape, examples.lengths) as [Float32Array];
      } finally {
        run.trained.dispose();
      }
      const results = Array.from({ length: examples.count }, (_, i) => {
        const scores = values.subarray(i * names.length, (i + 1) * names.length);
        const probabilities = output.needsSoftmax ? softmax(scores) : Array.from(scores);
        const predicted = probabilities.indexOf(Math.max(...probabilities));
        return { predicted, probabilities };
      });
      if (flags.format === 'json') {
        const json = digit
          ? { image: input, prediction: results[0]!.predicted, probabilities: results[0]!.probabilities, node: output.node.name, inverted: digit.inverted }
          : {
              input,
              node: output.node.name,
              classes: names,
              predictions: results.map((r, i) => ({ prediction: names[r.predicted], probabilities: r.probabilities, ...(examples.lengths ? { length: examples.lengths[i] } : {}) })),
            };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const via = `node '${output.node.name}'${output.needsSoftmax ? ' through softmax' : ''}`;
      const notes = digit ? [`${digit.width}×${digit.height}`, ...(digit.inverted ? ['inverted'] : []), via] : [`${examples.count} example${examples.count === 1 ? '' : 's'}`, via];
      const lines = [`${input} (${notes.join(', ')}):`];
      const width = Math.max(...names.map((n) => n.length));
      for (const [i, { predicted, probabilities }] of results.entries()) {
        if (digit) lines[0] = `${input} (${notes.join(', ')}): ${predicted} with probability ${probabilities[predicted]!.toFixed(4)}`;
        else lines.push(`${examples.count > 1 ? `example ${i + 1}: ` : ''}${names[predicted]} with probability ${probabilities[predicted]!.toFixed(4)}${examples.lengths ? ` (length ${examples.lengths[i]})` : ''}`);
        for (const [c, p] of probabilities.entries()) lines.push(`  ${names[c]!.padEnd(width)}  ${p.toFixed(6)}  ${'#'.repeat(Math.round(p * 40))}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** Whether the model is fed each example's length (batch.lengths): predict then supplies them from the input. */
function feedsLengths(run: Awaited<ReturnType<typeof openTrainedRun>>): boolean {
  return Object.values(run.graph.train.feeds.eval).includes('batch.lengths');
}

/** A regression model's predictions: each example's predicted value (or values), as the node compared with the targets computes them. */
function predictValues(run: Awaited<ReturnType<typeof openTrainedRun>>, input: string, flags: PredictFlags, picture: boolean): void {
  const dataset = run.trained.model.schedule.dataset as FileDatasetConfig;
  if (picture) fail('GC612', { input, problem: { kind: 'image_for_table' } }, { file: input });
  const output = findPredictionNode(run.graph, flags.output);
  const featuresPlaceholder = Object.entries(run.graph.train.feeds.eval).find(([, v]) => v === 'batch.features')?.[0];
  const takes = run.graph.placeholders.find((p) => p.name === featuresPlaceholder)!.type.shape.slice(1) as number[];
  const examples = readPredictInput(input, dataset, takes, feedsLengths(run));
  const targets = dataset.label.columns ? [dataset.label.columns.length] : [];
  const per = targets.reduce((a, b) => a * b, 1);
  let values: Float32Array;
  try {
    const shape = { features: takes, classes: 0, targets, ...(dataset.feature_dtype === 'int32' ? { featureDtype: 'int32' as const } : {}), ...(examples.lengths ? { lengths: true } : {}) };
    [values] = run.trained.run(examples.features, new Float32Array(examples.count * per), examples.count, [output.name], shape, examples.lengths) as [Float32Array];
  } finally {
    run.trained.dispose();
  }
  const width = values.length / examples.count;
  const predictions = Array.from({ length: examples.count }, (_, i) => Array.from(values.subarray(i * width, (i + 1) * width)));
  const names = dataset.label.columns ?? [dataset.label.column ?? 'target'];
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ input, node: output.name, targets: names, predictions: predictions.map((p) => (width === 1 ? p[0] : p)) }, null, 2)}\n`);
    return;
  }
  const lines = [`${input} (${examples.count} example${examples.count === 1 ? '' : 's'}, node '${output.name}'):`];
  for (const [i, p] of predictions.entries()) lines.push(`${examples.count > 1 ? `example ${i + 1}: ` : ''}${p.map((v, k) => `${names[k] ?? `target ${k}`} ${v.toFixed(4)}`).join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
