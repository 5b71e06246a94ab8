/**
 * graphc bundle's page in a real browser: Debian's chromium, driven by
 * puppeteer-core, opens the site bundleSpec writes for the Bi-GRU (hidden size
 * 16) from serveSite on 127.0.0.1, and checks what a visitor gets — on wasm
 * the page trains, a pause and a reload resume from IndexedDB, and every
 * evaluation equals `graphc run`'s (runModel, the same trainer, kernels and
 * seed) bit for bit (the engines' `**`, exp, log and cos, which differ, are
 * not used: runtime/optim/engine-math.ts); the drawing pad classifies a digit
 * drawn with mouse events as graphc's Node inference does from the same checkpoint; the
 * downloaded checkpoint.gck holds the Node run's weights and `graphc eval`
 * reads it. Every wait is on the page's own state (window.graphc) or the
 * browser's download event, never on a clock.
 *
 * WebGPU through SwiftShader is checked the same way when GRAPHC_BROWSER_WEBGPU=1:
 * compiling its shaders on a CPU takes over a minute on 2 cores, beyond this
 * file's share of CI.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../src/runtime/checkpoint_format.js';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { TrainedModel } from '../../src/runtime/inference.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import type { Evaluation } from '../../src/runtime/run_folder.js';
import { runModel } from '../../src/runtime/trainer.js';
import { bundleSpec } from '../../src/tools/bundle/bundle.js';
import { serveSite, type Serving } from '../../src/tools/bundle/serve.js';
import { CHROMIUM_FLAGS, chromiumAvailable, launchChromium, profileDir, requireChromium } from '../helpers/chromium.js';
import { graphc } from '../helpers/cli.js';
import { importVariant } from '../helpers/modules.js';

const SET = ['hidden_size=16'];
const SCHEDULE = { steps: 6, evalEvery: 2, evalBatches: 2 };
const QUERY = `steps=${SCHEDULE.steps}&eval_every=${SCHEDULE.evalEvery}&eval_batches=${SCHEDULE.evalBatches}`;

/** What the page says about itself (src/page/main.ts's PageState). */
interface PageState {
  status: string;
  backend?: { name: string; device: string };
  step: number;
  resumedAt?: number;
  lines: string[];
  evaluations: Evaluation[];
  error?: string;
  prediction?: { digit: number; probabilities: number[]; pixels: number[] };
}

const pageState = (page: Page): Promise<PageState> => page.evaluate('window.graphc') as Promise<PageState>;

async function waitForStatus(page: Page, statuses: readonly string[]): Promise<PageState> {
  await page.waitForFunction(`${JSON.stringify(['failed', ...statuses])}.includes(window.graphc?.status)`, { timeout: 240_000 });
  const state = await pageState(page);
  if (state.status === 'failed') throw new Error(`the page failed: ${state.error}`);
  return state;
}

/** A log line without its pass seconds. */
const withoutSeconds = (line: string): string => line.replace(/pass [0-9.]+s/, 'pass …s');

/** The metrics of each evaluation, without its wall-clock seconds. */
const metrics = (evaluations: readonly Evaluation[]) => evaluations.map(({ step, train, test }) => ({ step, train, test }));

describe.runIf(chromiumAvailable)('graphc bundle: the Bi-GRU trains in a browser (headless Chromium)', () => {
  const work = mkdtempSync(join(tmpdir(), 'graphc-bundle-test-'));
  const site = join(work, 'site');
  const nodeRun = join(work, 'node-run');
  let model: AnyCompiledModel;
  let serving: Serving;
  let browser: Browser;
  let page: Page;
  let nodeEvaluations: readonly Evaluation[];
  const nodeLines: string[] = [];

  beforeAll(async () => {
    await bundleSpec({ spec: 'graphs/bigru.yaml', set: SET, out: site, backend: 'wasm' });
    serving = await serveSite({ dir: site, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage();
    // graphc run's trainer on the same backend, seed and schedule, one thread as the page.
    model = await importVariant('graphs/bigru.yaml', SET);
    const result = await runModel(model, { backend: 'wasm', ...SCHEDULE, workers: 1, workersGiven: true, out: nodeRun, print: (line) => nodeLines.push(line), status: () => {} });
    nodeEvaluations = result.evaluations;
  });

  afterAll(async () => {
    await browser?.close();
    await serving?.close();
  });

  it('writes the page, its script, the single-threaded wasm binaries and MNIST', () => {
    for (const file of ['index.html', 'graphc-page.js', 'wasm/tfjs-backend-wasm-simd.wasm', 'data/train-images-idx3-ubyte', 'data/t10k-labels-idx1-ubyte']) {
      expect(readFileSync(join(site, file)).length, file).toBeGreaterThan(0);
    }
  });

  it('trains on wasm, pauses, resumes from IndexedDB after a reload, and its metrics are graphc run\'s', async () => {
    // Paused after step 3 (an evaluation's checkpoint at 2, the pause's at 3, both in IndexedDB).
    await page.goto(`${serving.url}?backend=wasm&${QUERY}&fresh&pause_at=3`);
    const paused = await waitForStatus(page, ['paused']);
    expect(paused.step).toBe(3);
    expect(paused.backend?.name).toBe('wasm');
    expect(await page.evaluate('crossOriginIsolated')).toBe(true);
    expect(await page.$eval('#backend', (e) => e.textContent)).toMatch(/^backend wasm on .*WebAssembly SIMD/);

    // A reload resumes from IndexedDB and pauses again after step 5; the button resumes it to the end.
    await page.goto(`${serving.url}?backend=wasm&${QUERY}&pause_at=5`);
    const again = await waitForStatus(page, ['paused']);
    expect(again.resumedAt).toBe(3);
    expect(again.step).toBe(5);
    await page.click('#pause');
    const done = await waitForStatus(page, ['done']);
    expect(done.step).toBe(SCHEDULE.steps);
    expect(nodeEvaluations).toHaveLength(SCHEDULE.steps / SCHEDULE.evalEvery);
    // Bit for bit, Adam's steps 4 on included (Node 20's and Chromium 156's `0.999 ** 4` differ; graphc no longer uses it).
    expect(metrics(done.evaluations)).toEqual(metrics(nodeEvaluations));
    // What graphc run prints, the page prints (since the reload: the evaluations at steps 4 and 6).
    expect(done.lines.map(withoutSeconds)).toEqual(nodeLines.slice(1).map(withoutSeconds));
  });

  it('classifies a digit drawn with the mouse as graphc does under Node from the same checkpoint', async () => {
    const box = (await page.$eval('#pad-canvas', (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }))!;
    // A "7": a bar across the top, then a stroke down to the lower left.
    const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
    await page.mouse.move(...at(0.25, 0.25));
    await page.mouse.down();
    for (const [fx, fy] of [[0.5, 0.25], [0.75, 0.25], [0.6, 0.5], [0.45, 0.8]] as const) await page.mouse.move(...at(fx, fy), { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction('window.graphc?.prediction !== undefined');
    const { prediction } = await pageState(page);
    const ink = prediction!.pixels.filter((p) => p > 0.5).length;
    expect(ink).toBeGreaterThan(20);
    expect(prediction!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    const trained = new TrainedModel(model, readCheckpoint(nodeRun));
    try {
      const [scores] = trained.run(Float32Array.from(prediction!.pixels), new Float32Array(10), 1, ['y_pre']);
      const probabilities = Array.from(scores!);
      expect(prediction!.digit).toBe(probabilities.indexOf(Math.max(...probabilities)));
      prediction!.probabilities.forEach((p, i) => expect(p).toBeCloseTo(probabilities[i]!, 6));
    } finally {
      trained.dispose();
    }
  });

  it('downloads checkpoint.gck with the Node run\'s weights bit for bit, and graphc eval reads it', async () => {
    const downloads = join(work, 'downloaded');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
    const finished = new Promise<void>((resolve, reject) =>
      cdp.on('Browser.downloadProgress', (event) => {
        if (event.state === 'completed') resolve();
        if (event.state === 'canceled') reject(new Error('the download was canceled'));
      }),
    );
    await page.click('#download');
    await finished;
    const file = join(downloads, 'checkpoint.gck');
    const downloaded = decodeCheckpoint(readFileSync(file), file);
    const node = readCheckpoint(nodeRun);
    expect(downloaded.header.step).toBe(SCHEDULE.steps);
    expect(downloaded.header.params).toEqual(node.header.params);
    expect(downloaded.header.variables).toEqual(node.header.variables);
    // The same weights and slots to the bit: same kernels, same Adam steps.
    expect(downloaded.payload).toEqual(node.payload);

    const evaluated = graphc('eval', downloads, '--backend', 'wasm', '--batch-size', '1000', '--format', 'json', '--no-progress');
    expect(evaluated.stderr).not.toMatch(/error/i);
    expect(evaluated.status).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { model: string; step: number; examples: number; test: Record<string, number> };
    expect(report).toMatchObject({ model: 'bigru', step: SCHEDULE.steps, examples: 10000 });
    expect(report.test['acc']).toBeGreaterThan(0);
  });
});

describe.runIf(chromiumAvailable && process.env['GRAPHC_BROWSER_WEBGPU'] === '1')('graphc bundle on WebGPU (SwiftShader in Chromium)', () => {
  it('trains the Bi-GRU to graphc run\'s wasm metrics within float32 tolerance', async () => {
    const work = mkdtempSync(join(tmpdir(), 'graphc-bundle-webgpu-'));
    await bundleSpec({ spec: 'graphs/bigru.yaml', set: SET, out: join(work, 'site') });
    const serving = await serveSite({ dir: join(work, 'site'), port: 0 });
    const puppeteer = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      executablePath: requireChromium(),
      headless: true,
      args: [
        ...CHROMIUM_FLAGS.filter((f) => f !== '--headless' && f !== '--disable-gpu'),
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        '--use-vulkan=swiftshader',
        '--use-webgpu-adapter=swiftshader',
        `--user-data-dir=${profileDir()}`,
      ],
    });
    try {
      const model = await importVariant('graphs/bigru.yaml', SET);
      const steps = { steps: 4, evalEvery: 2, evalBatches: 2 };
      const node = await runModel(model, { backend: 'wasm', ...steps, workers: 1, workersGiven: true, print: () => {}, status: () => {} });
      const page = await browser.newPage();
      await page.goto(`${serving.url}?backend=webgpu&steps=4&eval_every=2&eval_batches=2&fresh`);
      const done = await waitForStatus(page, ['done']);
      expect(done.backend?.name).toBe('webgpu');
      expect(done.evaluations.map((e) => e.step)).toEqual(node.evaluations.map((e) => e.step));
      done.evaluations.forEach((e, i) => {
        for (const phase of ['train', 'test'] as const) {
          for (const [name, value] of Object.entries(e[phase])) expect(value).toBeCloseTo(node.evaluations[i]![phase][name]!, 5);
        }
      });
    } finally {
      await browser.close();
      await serving.close();
    }
  });
});
