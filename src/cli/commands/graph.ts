import { extname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { compileSpec } from '../../compiler/index.js';
import { fail, GraphcError } from '../../common/diagnostics/diagnostic.js';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../tools/picture/picture.js';
import { writeFileAtomic } from '../../common/fs.js';
import { collect } from '../options.js';
import { reportDiagnostics } from '../../tools/report.js';

const FORMAT_BY_EXTENSION: Readonly<Record<string, GraphFormat>> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('draw a spec\'s graph: every placeholder and node with its op and inferred shape (SVG, Graphviz DOT or Mermaid)')
    .argument('<spec>', 'a graph spec (YAML)')
    .addOption(new Option('--format <format>', 'svg, dot or mermaid (default: from --out\'s extension, else svg)').choices([...GRAPH_FORMATS]))
    .option('--out <file>', 'write here instead of stdout')
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc graph graphs/bigru.yaml --out bigru.svg\n  $ graphc graph graphs/bigru.yaml --format mermaid\n  $ graphc graph graphs/bigru.yaml --format dot | dot -Tpng > bigru.png\n',
    )
    .action(async (spec: string, opts: { format?: GraphFormat; out?: string; set: string[] }) => {
      const result = compileSpec(spec, { set: opts.set, checkOnly: true });
      const sources = new Map([[spec, result.text ?? '']]);
      if (!result.graph) throw new GraphcError(result.diagnostics, sources);
      reportDiagnostics(result.diagnostics, sources);
      const format = opts.format ?? (opts.out ? FORMAT_BY_EXTENSION[extname(opts.out).toLowerCase()] : undefined) ?? 'svg';
      const text = await renderGraph(result.graph, format);
      if (opts.out === undefined) {
        process.stdout.write(text);
        return;
      }
      try {
        writeFileAtomic(opts.out, text);
      } catch (error) {
        fail('GC706', { path: opts.out, reason: error instanceof Error ? error.message : String(error) });
      }
      process.stderr.write(`graphc: wrote ${opts.out}\n`);
    });
}
