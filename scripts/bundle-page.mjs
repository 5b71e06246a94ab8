#!/usr/bin/env node
// A bundled page (graphc bundle) in headless Chromium (puppeteer-core, a dev dependency; set
// CHROMIUM to the browser's path if it is not `chromium` on the PATH), served by `graphc serve`:
//
//   node scripts/bundle-page.mjs SITE --screenshot docs/images/bundle.png [--query 'steps=100&eval_every=20']
//     trains in the page until its first two evaluations are drawn, and writes a PNG;
//   node scripts/bundle-page.mjs SITE --bench N --spec graphs/bigru.yaml [--set hidden_size=64]
//     times N training steps in the page on wasm (?bench=N) and then the same spec's
//     steps under Node (graphc bench --backend wasm --workers 1), and prints both.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const screenshot = option('--screenshot');
const bench = option('--bench');
const spec = option('--spec', 'graphs/bigru.yaml');
const set = option('--set');
const query = option('--query', 'backend=wasm&steps=400&eval_every=20&eval_batches=5&fresh');
const [site] = args;
if (!site || (!screenshot && !bench)) {
  console.error('usage: node scripts/bundle-page.mjs SITE (--screenshot FILE [--query Q] | --bench N [--spec SPEC] [--set K=V])');
  process.exit(2);
}

const chromium = process.env.CHROMIUM ?? spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser || command -v google-chrome'], { encoding: 'utf8' }).stdout.trim();
if (!chromium) {
  console.error('bundle-page: no chromium on the PATH (apt-get install chromium, or set CHROMIUM)');
  process.exit(1);
}

const server = spawn(process.execPath, ['bin/graphc.js', 'serve', site, '--port', '0'], { stdio: ['ignore', 'inherit', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    const m = /at (http:\/\/\S+)/.exec(stderr);
    if (m) resolve(m[1]);
  });
  server.on('exit', () => reject(new Error(`graphc serve exited: ${stderr}`)));
});

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'graphc-chromium-'))}`],
  defaultViewport: { width: 1280, height: 820 },
});
try {
  const page = await browser.newPage();
  const until = (condition) => page.waitForFunction(`(${condition}) || window.graphc?.status === 'failed'`, { timeout: 0 });
  if (screenshot) {
    await page.goto(`${url}?${query}`);
    await until('window.graphc?.evaluations.length >= 2');
    await page.screenshot({ path: screenshot });
    console.log(`bundle-page: wrote ${screenshot} at step ${await page.evaluate('window.graphc.step')}`);
  } else {
    await page.goto(`${url}?backend=wasm&bench=${bench}`);
    await until("window.graphc?.status === 'benched'");
    const state = await page.evaluate('window.graphc');
    if (state.status === 'failed') throw new Error(state.error);
    console.log(`page (${state.backend.device}): ${bench} steps, mean ${state.bench.meanMs.toFixed(1)} ms, median ${state.bench.medianMs.toFixed(1)} ms per step`);
    await browser.close();
    const node = spawnSync(process.execPath, ['bin/graphc.js', 'bench', spec, ...(set ? ['--set', set] : []), '--backend', 'wasm', '--workers', '1', '--steps', bench, '--eval-batches', '1', '--warmup', '2', '--json'], { encoding: 'utf8' });
    if (node.status !== 0) throw new Error(`graphc bench failed: ${node.stderr}`);
    console.log(`node (graphc bench --json): ${node.stdout.trim()}`);
  }
} finally {
  await browser.close();
  server.kill('SIGINT');
}
