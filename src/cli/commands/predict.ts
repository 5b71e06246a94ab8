import type { Command } from 'commander';
import { Option } from 'commander';
import { findOutputNode } from '../../tools/export/output-node.js';
import { readDigitPng } from '../../tools/predict/image.js';
import { BACKENDS, initBackend, type BackendRequest } from '../../runtime/backends.js';
import { NUM_CLASSES } from '../../runtime/data/index.js';
import { backendValue } from '../options.js';
import { openTrainedRun } from '../trained-run.js';
import { DEFAULT_OUT_DIR } from './compile.js';

interface PredictFlags {
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
    .description('classify a picture of a digit with a run\'s checkpoint and print the ten probabilities')
    .argument('<dir>', 'a run folder (graphc run --out DIR) holding checkpoint.gck')
    .argument('<image>', 'a PNG of one digit: 28×28, or larger (padded to a square and shrunk); a dark digit on a light background is inverted to MNIST\'s light-on-dark')
    .option('--output <node>', 'the node holding the class probabilities (default: the graph\'s softmax over [batch, 10])')
    .addOption(new Option('--backend <name>', 'where tensors compute').argParser(backendValue).default('auto').choices([...BACKENDS]))
    .addOption(new Option('--format <format>', 'how the result is printed').choices(['text', 'json']).default('text'))
    .option('--out-dir <dir>', 'where the run\'s module is compiled to if needed', DEFAULT_OUT_DIR)
    .addHelpText('after', '\nExamples:\n  $ graphc predict runs/bigru-20250101-120000 digit.png\n  $ graphc predict runs/mlp seven.png --format json\n')
    .action(async (dir: string, image: string, flags: PredictFlags) => {
      const digit = readDigitPng(image);
      const backend = await initBackend(flags.backend);
      process.stderr.write(`graphc: backend ${backend.name} on ${backend.device}\n`);
      const run = await openTrainedRun(dir, flags.outDir);
      const output = findOutputNode(run.graph, flags.output);
      let values: Float32Array;
      try {
        [values] = run.trained.run(digit.pixels, new Float32Array(NUM_CLASSES), 1, [output.node.name]) as [Float32Array];
      } finally {
        run.trained.dispose();
      }
      const probabilities = output.needsSoftmax ? softmax(values) : Array.from(values);
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify({ image, prediction: predicted, probabilities, node: output.node.name, inverted: digit.inverted }, null, 2)}\n`);
        return;
      }
      const notes = [`${digit.width}×${digit.height}`, ...(digit.inverted ? ['inverted'] : []), `node '${output.node.name}'${output.needsSoftmax ? ' through softmax' : ''}`];
      const lines = [`${image} (${notes.join(', ')}): ${predicted} with probability ${probabilities[predicted]!.toFixed(4)}`];
      for (const [digitClass, p] of probabilities.entries()) lines.push(`  ${digitClass}  ${p.toFixed(6)}  ${'#'.repeat(Math.round(p * 40))}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
