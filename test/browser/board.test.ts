/**
 * graphc board in a real browser: Debian's chromium, driven by puppeteer-core,
 * opens the page that startBoard serves over real HTTP from real run folders
 * (written by the runtime's own writers) and checks what a user sees — the
 * runs listed, the chart's drawn points, a point appearing live when
 * metrics.jsonl grows, two runs overlaid, a traversal refused — and writes a
 * screenshot into the test's temporary folder.
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMetrics, writeSummary, type Evaluation, type RunSummary } from '../../src/runtime/run_folder.js';
import { startBoard, type RunningBoard } from '../../src/tools/board/server.js';
import { classificationReport, confusionMatrix } from '../../src/tools/eval/report.js';
import { saveEvaluation, type EvaluationRecord } from '../../src/tools/eval/run-folder.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';

const PARAMS = { lr: 0.001, input_size: 28, timestep_size: 28, hidden_size: 32, layer_num: 1, class_num: 10, cell_type: 'gru' };

function evaluation(step: number): Evaluation {
  return { step, train: { cost: 1 / step, acc: 1 - 1 / step }, test: { cost: 1.2 / step, acc: 1 - 1.2 / step }, elapsed: 2 };
}

const line = (step: number): string => `${JSON.stringify(evaluation(step))}\n`;

function summary(params: Record<string, unknown>, evaluations: readonly Evaluation[]): RunSummary {
  return {
    model: 'bigru',
    spec: 'graphs/bigru.yaml',
    params,
    backend: 'wasm',
    device: 'a test machine',
    host: 'test-host',
    versions: { graphc: '0.1.0' },
    seed: 1,
    steps: evaluations.at(-1)!.step,
    interrupted: false,
    wall_seconds: 2 * evaluations.length,
    final: evaluations.at(-1)!,
  };
}

/** Symbols drawn for data (not the legend's) in the chart. */
const POINTS = '#chart g.mark-symbol.role-mark path';

async function countPoints(page: Page): Promise<number> {
  return page.$$eval(POINTS, (nodes) => nodes.length);
}

/** Waits until the page has `count` elements matching `selector` (the test's own types have no DOM: the check is a page expression). */
async function waitForCount(page: Page, selector: string, count: number, timeout = 10_000): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(selector)}).length === ${count}`, { timeout });
}

describe.runIf(chromiumAvailable)('graphc board in a browser (headless Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-board-browser-'));
  const runs = join(dir, 'runs');
  let board: RunningBoard;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // "training": no summary yet, three evaluations so far; "done": finished, with four.
    const training = join(runs, 'training');
    mkdirSync(training, { recursive: true });
    writeMetrics(training, [10, 20, 30].map(evaluation));
    const done = join(runs, 'done');
    mkdirSync(done, { recursive: true });
    const evaluations = [10, 20, 30, 40].map(evaluation);
    writeMetrics(done, evaluations);
    writeSummary(done, summary(PARAMS, evaluations));
    // A link out of the folders the board serves.
    writeFileSync(join(dir, 'secret.txt'), 'not to be served\n');
    symlinkSync(join(dir, 'secret.txt'), join(done, 'escape.txt'));
    // A finished sweep of four trials (the README's).
    cpSync('docs/runs/sweep-readme-demo', join(dir, 'sweeps', 'demo'), { recursive: true });
    board = await startBoard({ folders: [runs, join(dir, 'sweeps')], port: 0 });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await board?.close();
  });

  it('lists the two fixture runs with their status and progress', async () => {
    await page.goto(board.url);
    await waitForCount(page, 'tr.run-row', 2);
    const rows = await page.$$eval('tr.run-row', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.some((r) => r.includes('training') && r.includes('running') && r.includes('30'))).toBe(true);
    expect(rows.some((r) => r.includes('done') && r.includes('finished') && r.includes('hidden_size=32 layer_num=1 cell_type=gru') && r.includes('40 / 40'))).toBe(true);
  });

  it("draws a run's chart with one point per metric, phase and evaluation", async () => {
    await page.goto(`${board.url}#/run/0/training`);
    // 3 evaluations × (cost, acc) × (train, test)
    await waitForCount(page, POINTS, 12);
    expect(await countPoints(page)).toBe(12);
    expect(await page.$eval('#evaluations', (e) => e.textContent)).toBe('3 evaluations');
  });

  it('adds the points of a line appended to metrics.jsonl within a second, without reloading', async () => {
    await page.evaluate('window.stayed = true');
    // The event stream is open (the page says "live") before the file grows.
    await page.waitForFunction(`document.getElementById('connection')?.textContent === 'live'`, { timeout: 10_000 });
    appendFileSync(join(runs, 'training', 'metrics.jsonl'), line(40));
    const start = Date.now();
    await waitForCount(page, POINTS, 16, 1000);
    expect(Date.now() - start).toBeLessThan(1000);
    // The same document: a reload would have dropped the mark.
    expect(await page.evaluate('window.stayed')).toBe(true);
    expect(await page.$eval('#evaluations', (e) => e.textContent)).toBe('4 evaluations');
  });

  it('fills the chart of a run that had not evaluated when the page opened', async () => {
    // A run that has just started: its folder holds only run.lock, naming this (live) process.
    const fresh = join(dir, 'runs-later', 'fresh');
    mkdirSync(fresh, { recursive: true });
    writeFileSync(join(fresh, 'run.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    const later = await startBoard({ folders: [join(dir, 'runs-later')], port: 0 });
    try {
      await page.goto(`${later.url}#/run/0/fresh`);
      await page.waitForFunction(`document.getElementById('connection')?.textContent === 'live'`, { timeout: 10_000 });
      expect(await page.$eval('h1 .status', (e) => e.textContent)).toBe('running');
      expect(await countPoints(page)).toBe(0);
      appendFileSync(join(fresh, 'metrics.jsonl'), line(10) + line(20));
      await waitForCount(page, POINTS, 8, 2000);
    } finally {
      await later.close();
    }
  });

  it('overlays two ticked runs in the compare view', async () => {
    await page.goto(`${board.url}#/runs`);
    await waitForCount(page, 'tr.run-row input[type=checkbox]', 2);
    for (const box of await page.$$('tr.run-row input[type=checkbox]')) await box.click();
    await page.click('#compare');
    // 4 + 4 evaluations × 2 metrics × 2 phases
    await waitForCount(page, POINTS, 32);
    // Each run is named by what sets it apart: the finished one by its model, the other (no summary yet) by its folder.
    const compared = await page.$$eval('#compared li a', (links) => links.map((a) => a.textContent));
    expect(compared.sort()).toEqual(['bigru', 'training']);
    const legend = await page.$$eval('#chart .role-legend-label text', (texts) => texts.map((t) => t.textContent));
    expect(legend).toEqual(expect.arrayContaining(['bigru', 'training', 'train', 'test']));
  });

  it('refuses requests for files outside its folders', async () => {
    // (Chromium itself resolves '..' and '%2E%2E' before sending: test/tools/board/server.test.ts sends those raw.)
    for (const path of ['files/0/..%2F..%2Fsecret.txt', 'files/0/done%2F..%2F..%2Fsecret.txt', 'files/0/done/escape.txt']) {
      const response = await page.goto(`${board.url}${path}`);
      expect(response?.status(), path).toBe(403);
      const body = (await page.$eval('body', (b) => b.textContent)) ?? '';
      expect(body, path).toMatch(/^GC784: refused/);
      expect(body).not.toContain('not to be served');
    }
  });

  it("shows a sweep's table and its parallel coordinates, one line per trial", async () => {
    await page.goto(`${board.url}#/runs`);
    await page.click('a[href="#/sweep/1/demo"]');
    await waitForCount(page, '#sweep-table tbody tr', 4);
    await waitForCount(page, '#parallel g.mark-line.role-mark path', 4);
    const first = await page.$eval('#sweep-table tbody tr', (tr) => tr.textContent ?? '');
    expect(first).toContain('0.8970');
  });

  it('works with a token: the address carries it once, the page and its live stream follow', async () => {
    const guarded = await startBoard({ folders: [runs], port: 0, token: 'a-token-for-the-browser-test' });
    try {
      const refused = await page.goto(guarded.url.replace(/\?token=.*$/, ''));
      expect(refused?.status()).toBe(401);
      await page.goto(guarded.url);
      await waitForCount(page, 'tr.run-row', 2);
      await page.waitForFunction(`document.getElementById('connection')?.textContent === 'live'`, { timeout: 10_000 });
    } finally {
      await guarded.close();
    }
  });

  it('writes a screenshot of a run page', async () => {
    await page.goto(`${board.url}#/run/0/done`);
    await waitForCount(page, POINTS, 16);
    expect(await page.$eval('#command', (e) => e.textContent)).toBe('graphc run graphs/bigru.yaml --set hidden_size=32 --set layer_num=1 --set cell_type=gru --seed 1 --steps 40 --backend wasm');
    const file = join(dir, 'board.png');
    await page.screenshot({ path: file, fullPage: false });
    expect(existsSync(file)).toBe(true);
    const png = PNG.sync.read(readFileSync(file));
    expect(png.width).toBe(1400);
    let coloured = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (Math.abs(r - g) + Math.abs(g - b) + Math.abs(r - b) > 90) coloured++;
    }
    // The curves and the status badge are in colour; a blank or unstyled page is not.
    expect(coloured).toBeGreaterThan(500);
  });

  it("shows a run's evaluation report on its page, and again when graphc eval rewrites it", async () => {
    const done = join(runs, 'done');
    const record = (truth: number[], predicted: number[]): EvaluationRecord => {
      const report = classificationReport(confusionMatrix(truth, predicted, 3), ['cat', 'dog', 'fox']);
      return { dir: done, model: 'bigru', step: 40, examples: report.examples, test: { cost: 0.5, acc: report.accuracy }, node: 'y_pre', report };
    };
    await saveEvaluation(done, record([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]));
    await page.goto(`${board.url}#/run/0/done`);
    await waitForCount(page, '#confusion tbody tr', 3);
    const cells = await page.$$eval('#confusion tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(cells).toEqual([
      ['cat', '1', '1', '0'],
      ['dog', '0', '2', '0'],
      ['fox', '1', '0', '1'],
    ]);
    const perClass = await page.$$eval('#per-class tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' ')));
    expect(perClass).toEqual(['cat 0.5000 0.5000 0.5000 2', 'dog 0.6667 1.0000 0.8000 2', 'fox 1.0000 0.5000 0.6667 2', 'accuracy   0.6667 6', 'macro avg 0.7222 0.6667 0.6556 6', 'weighted avg 0.7222 0.6667 0.6556 6']);
    await page.waitForFunction(`document.getElementById('confusion-svg')?.naturalWidth > 0`, { timeout: 10_000 });
    // graphc eval again (a later checkpoint): the page follows without a reload.
    await page.waitForFunction(`document.getElementById('connection')?.textContent === 'live'`, { timeout: 10_000 });
    await saveEvaluation(done, record([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2]));
    await page.waitForFunction(`document.querySelector('#per-class tbody tr:nth-child(4)')?.textContent === 'accuracy1.00006'`, { timeout: 10_000 });
  });
});
