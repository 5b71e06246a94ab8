#!/usr/bin/env node
// The README's picture of graphc board: starts `graphc board FOLDERS` (default runs/ sweeps/),
// opens the newest run's page in headless Chromium (puppeteer-core, a dev dependency; set
// CHROMIUM to the browser's path if it is not `chromium` on the PATH), waits for its curves
// and writes a PNG.
//
//   npm run screenshot:board -- [FOLDERS...] [--out docs/images/board.png] [--view runs|run]
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
const out = option('--out', 'docs/images/board.png');
const view = option('--view', 'run');
const folders = args;

const chromium = process.env.CHROMIUM ?? spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser || command -v google-chrome'], { encoding: 'utf8' }).stdout.trim();
if (!chromium) {
  console.error('board-screenshot: no chromium on the PATH (apt-get install chromium, or set CHROMIUM)');
  process.exit(1);
}

const board = spawn(process.execPath, ['bin/graphc.js', 'board', ...folders, '--port', '0'], { stdio: ['ignore', 'inherit', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let stderr = '';
  board.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    const m = /at (http:\/\/\S+)/.exec(stderr);
    if (m) resolve(m[1]);
  });
  board.on('exit', () => reject(new Error(`graphc board exited: ${stderr}`)));
});

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'graphc-screenshot-'))}`],
  defaultViewport: { width: 1280, height: 900, deviceScaleFactor: 1 },
});
try {
  const page = await browser.newPage();
  const listing = await (await fetch(`${url}api/runs`)).json();
  const newest = listing.runs[0];
  if (view === 'run' && newest) {
    await page.goto(`${url}#/run/${newest.id.split('/').map(encodeURIComponent).join('/')}`);
    await page.waitForSelector('#chart g.mark-symbol.role-mark path', { timeout: 30_000 });
    // The graph picture is compiled on request: wait for it, or the page is pictured without it.
    await page.waitForFunction(() => {
      const graph = document.querySelector('#graph');
      return !graph || (graph.complete && graph.naturalWidth > 0);
    }, { timeout: 60_000 });
  } else {
    await page.goto(url);
    await page.waitForSelector('tr.run-row', { timeout: 30_000 });
  }
  await page.screenshot({ path: out });
  console.log(`board-screenshot: wrote ${out} (${view === 'run' && newest ? newest.folder : 'the runs list'})`);
} finally {
  await browser.close();
  board.kill('SIGINT');
}
