import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { saveLayersModel, toLayersModel } from '../../tools/export/layers.js';
import { datasetClasses, findOutputNode, findPredictionNode } from '../../tools/export/output-node.js';
import { toOnnxModel } from '../../interop/onnx/export.js';
import { encodeModel } from '../../interop/onnx/proto.js';
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { initBackend } from '../../runtime/backends.js';
import { graphcVersion } from '../../common/version.js';
import { writeFileAtomic } from '../../common/fs.js';
import { CHECKPOINT_OPTION_HELP, checkpointLine, openTrainedRun } from '../trained-run.js';
import { DEFAULT_OUT_DIR } from '../compiled-module.js';

export const EXPORT_FORMATS = ['tfjs-layers', 'onnx'] as const;

interface ExportFlags {
  checkpoint?: 'best' | 'last';
  format: (typeof EXPORT_FORMATS)[number];
  out?: string;
  output?: string;
  outDir: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a run\'s trained model in a format other tools load: tfjs-layers (model.json + weights.bin, for tf.loadLayersModel in a browser or Node) or onnx (model.onnx, opset 17, for ONNX Runtime and other ONNX tools)')
    .argument('<dir>', 'a run folder (graphc run --out DIR) holding checkpoint.gck')
    .addOption(new Option('--format <format>', 'the model format').choices([...EXPORT_FORMATS]).default('tfjs-layers'))
    .option('--out <dir>', 'where to write it (default: DIR/<format>/)')
    .option('--output <node>', 'the node holding the class probabilities (default: the graph\'s softmax over [batch, classes]); for a regression dataset, the predictions')
    .addOption(new Option('--checkpoint <which>', CHECKPOINT_OPTION_HELP).choices(['best', 'last']))
    .option('--out-dir <dir>', 'where the run\'s module is compiled to if needed', DEFAULT_OUT_DIR)
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc export runs/bigru-20250101-120000 --format tfjs-layers\n  $ graphc export runs/bigru-20250101-120000 --format onnx   # runs/…/onnx/model.onnx, for ONNX Runtime\n  $ graphc export runs/mlp --out public/model   # then in a page: await tf.loadLayersModel(\'model/model.json\')\n',
    )
    .action(async (dir: string, flags: ExportFlags) => {
      if (flags.format === 'onnx') return exportOnnx(dir, flags);
      // Building the layers needs a backend; the exported weights do not depend on which.
      await initBackend('auto');
      const run = await openTrainedRun(dir, flags.outDir, flags.checkpoint);
      process.stderr.write(`${checkpointLine(run)}\n`);
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

/** `graphc export DIR --format onnx`: DIR/onnx/model.onnx (or --out DIR2/model.onnx). */
async function exportOnnx(dir: string, flags: ExportFlags): Promise<void> {
  const run = await openTrainedRun(dir, flags.outDir);
  const out = flags.out ?? join(dir, flags.format);
  try {
    const classes = datasetClasses(run.graph);
    const target = classes > 0 ? findOutputNode(run.graph, flags.output) : { node: findPredictionNode(run.graph, flags.output), needsSoftmax: false };
    const header = run.checkpoint.header;
    const exported = toOnnxModel(run.graph, target, run.trained.weights, {
      producerVersion: graphcVersion(),
      docString: `${run.graph.name}: ${run.graph.description ?? 'exported by graphc'}`,
      metadata: { spec: header.source, params: JSON.stringify(header.params), step: String(header.step), output: target.node.name },
    });
    const { input, output } = exported;
    const model = { ...exported.model, metadataProps: [...(exported.model.metadataProps ?? []), { key: 'input', value: describeInput(run.graph, input) }] };
    const file = join(out, 'model.onnx');
    try {
      writeFileAtomic(file, encodeModel(model));
    } catch (error) {
      fail('GC706', { path: file, reason: error instanceof Error ? error.message : String(error) });
    }
    const shape = (name: string): string => `[batch, ${run.graph.placeholders.find((p) => p.name === name)!.type.shape.slice(1).join(', ')}]`;
    const outputShape = `[${target.node.type.shape.map((d, k) => (k === 0 ? 'batch' : String(d))).join(', ')}]`;
    process.stderr.write(`graphc: wrote ${file} (opset 17; input '${input}' ${shape(input)} → '${output}' ${outputShape}, ${model.graph.node.length} nodes, ${model.graph.initializer.length} initializers)\n`);
  } finally {
    run.trained.dispose();
  }
}
