import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { importOnnx } from '../../interop/onnx/index.js';
import { importKeras } from '../../interop/keras/import.js';
import { reportDiagnostics } from '../../tools/report.js';

interface ImportFlags {
  out?: string;
  force: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description("turn another framework's model into a spec and its weights: an ONNX file (opset 13+) becomes SPEC.yaml and SPEC.gck, which graphc run SPEC.yaml --init SPEC.gck fine-tunes")
    .argument('<model>', 'the model file: model.onnx, or a tfjs-layers / Keras model.json (its weight files beside it)')
    .option('--out <spec>', 'the spec to write; the weights go beside it as <name>.gck (default: graphs/<model name>.yaml)')
    .option('--force', 'replace the spec and checkpoint if they exist', false)
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc import bigru.onnx --out graphs/bigru_torch.yaml\n  $ graphc run graphs/bigru_torch.yaml --init graphs/bigru_torch.gck --steps 200\n',
    )
    .action((model: string, flags: ImportFlags) => {
      const extension = extname(model).toLowerCase();
      if (extension !== '.onnx' && extension !== '.json') fail('GC704', { option: 'graphc import', value: model, expected: 'an ONNX model file (.onnx) or a tfjs-layers / Keras model.json' });
      // A tfjs-layers model is always model.json: its folder names it.
      const stem = extension === '.json' ? basename(dirname(resolve(model))) : basename(model, extname(model));
      const out = flags.out ?? join('graphs', `${stem.replace(/[^A-Za-z0-9_]+/g, '_')}.yaml`);
      const result = extension === '.json' ? importKeras(model, { out, force: flags.force }) : importOnnx(model, { out, force: flags.force });
      // The data files a spec names for fine-tuning are the user's to provide: one line says which, not a warning per file.
      reportDiagnostics(result.warnings.filter((d) => d.code !== 'GC606'), new Map([[result.specPath, result.spec.text]]));
      const { dataset } = result.spec;
      if (dataset !== 'mnist') {
        process.stderr.write(`graphc: the spec fine-tunes on NPY files beside it (docs/data.md): ${[dataset.train.features, dataset.train.labels, dataset.test.features, dataset.test.labels].join(', ')}\n`);
      }
      const { graph } = result;
      const input = graph.placeholders.map((p) => `'${p.onnxName}'`).join(', ');
      process.stderr.write(
        `graphc: wrote ${result.specPath} (${graph.nodes.length} nodes from ${input} to '${result.spec.output}') and ${result.checkpointPath} (${graph.variables.length} variables${graph.state.length > 0 ? `, ${graph.state.length} state tensors` : ''})\n` +
          `graphc: fine-tune with: graphc run ${result.specPath} --init ${result.checkpointPath}\n`,
      );
    });
}
