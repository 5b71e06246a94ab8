import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { saveLayersModel, toLayersModel } from '../../tools/export/layers.js';
import { datasetClasses, findOutputNode } from '../../tools/export/output-node.js';
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { initBackend } from '../../runtime/backends.js';
import { graphcVersion } from '../../common/version.js';
import { writeFileAtomic } from '../../common/fs.js';
import { openTrainedRun } from '../trained-run.js';
import { DEFAULT_OUT_DIR } from '../compiled-module.js';

export const EXPORT_FORMATS = ['tfjs-layers'] as const;

interface ExportFlags {
  format: (typeof EXPORT_FORMATS)[number];
  out?: string;
  output?: string;
  outDir: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a run\'s trained model in a format other tools load: tfjs-layers (model.json + weights.bin, for tf.loadLayersModel in a browser or Node)')
    .argument('<dir>', 'a run folder (graphc run --out DIR) holding checkpoint.gck')
    .addOption(new Option('--format <format>', 'the model format').choices([...EXPORT_FORMATS]).default('tfjs-layers'))
    .option('--out <dir>', 'where to write it (default: DIR/tfjs-layers/)')
    .option('--output <node>', 'the node holding the class probabilities (default: the graph\'s softmax over [batch, 10])')
    .option('--out-dir <dir>', 'where the run\'s module is compiled to if needed', DEFAULT_OUT_DIR)
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc export runs/bigru-20250101-120000 --format tfjs-layers\n  $ graphc export runs/mlp --out public/model   # then in a page: await tf.loadLayersModel(\'model/model.json\')\n',
    )
    .action(async (dir: string, flags: ExportFlags) => {
      // Building the layers needs a backend; the exported weights do not depend on which.
      await initBackend('auto');
      const run = await openTrainedRun(dir, flags.outDir);
      const output = findOutputNode(run.graph, flags.output);
      const out = flags.out ?? join(dir, flags.format);
      try {
        const { model, input } = toLayersModel(run.graph, output, run.trained.weights);
        const header = run.checkpoint.header;
        await saveLayersModel(
          model,
          (file, data) => {
            try {
              writeFileAtomic(join(out, file), data);
            } catch (error) {
              fail('GC706', { path: join(out, file), reason: error instanceof Error ? error.message : String(error) });
            }
          },
          { convertedBy: `graphc ${graphcVersion()}`, spec: header.source, params: header.params, step: header.step, input: describeInput(run.graph, input), output: output.node.name },
        );
        const inputShape = `[batch, ${run.graph.placeholders.find((p) => p.name === input)!.type.shape.slice(1).join(', ')}]`;
        process.stderr.write(`graphc: wrote ${join(out, 'model.json')} and weights.bin (input '${input}' ${inputShape} → '${output.node.name}' [batch, ${datasetClasses(run.graph)}])\n`);
      } finally {
        run.trained.dispose();
      }
    });
}

/** What the exported model's input is, for model.json's metadata. */
function describeInput(graph: IrGraph, input: string): string {
  const dataset = graph.train.dataset;
  if (dataset === 'mnist') return `${input}: [batch, 784] pixels in [0, 1], a light digit on a dark background`;
  const shape = graph.placeholders.find((p) => p.name === input)!.type.shape.slice(1).join(', ');
  const scale = dataset.scale !== undefined ? `, multiplied by ${dataset.scale} as in training` : '';
  return `${input}: [batch, ${shape}] features of the ${dataset.format} data${scale}`;
}
