/** The diagnostics of graphc bundle and serve, the browser page. */
import { entry } from './entry.js';

export const bundleDiagnostics = {
  // graphc bundle and graphc serve (GC840–GC849)
  GC840: entry<Record<string, never>>('error', 'page_run_model', () =>
    "a bundled page has no run(): it trains with the page's trainer; run() trains under Node (graphc run)"),
  GC841: entry<{ spec: string; dataset: string }>('error', 'bundle_dataset_unsupported', (p) =>
    `${p.spec} trains on ${p.dataset}: graphc bundle's page trains on MNIST and on tables of examples so far; bundle such a spec (graphs/bigru.yaml, graphs/iris.yaml, graphs/regression.yaml, …) or train this one with graphc run`),
  GC842: entry<{ entry: string; errors: string }>('error', 'bundle_build_failed', (p) =>
    `esbuild could not bundle the page (${p.entry}): ${p.errors}`),
  GC843: entry<{ dir: string; reason: 'missing' | 'not_a_directory' | 'no_index' }>('error', 'serve_not_a_site', (p) =>
    `${p.dir} ${p.reason === 'missing' ? 'does not exist' : p.reason === 'not_a_directory' ? 'is not a folder' : 'has no index.html'}: graphc serve serves a folder that graphc bundle wrote (graphc bundle SPEC --out ${p.dir})`),
  GC844: entry<{ host: string; port: number; reason: string }>('error', 'serve_listen_failed', (p) =>
    `cannot listen on ${p.host}:${p.port}: ${p.reason}; choose another port with --port (0 picks a free one)`),
  GC845: entry<{ option: string; value: string }>('error', 'bundle_bad_option', (p) =>
    `${p.option} ${p.value} is not valid for graphc bundle: the page chooses auto, webgpu or wasm`),
} as const;
