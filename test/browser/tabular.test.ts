/**
 * graphc bundle for a tabular spec (graphs/iris.yaml, data/iris/*.csv): the
 * site carries the table as graphc run loads it, the page trains on wasm to
 * graphc run's metrics bit for bit, and its form — one input per feature
 * column, or a pasted CSV row — predicts as graphc's Node inference does from
 * the Node run's checkpoint. Every wait is on the page's own state.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { TrainedModel } from '../../src/runtime/inference.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import type { Evaluation } from '../../src/runtime/run_folder.js';
import { runModel } from '../../src/runtime/trainer.js';
import { bundleSpec } from '../../src/tools/bundle/bundle.js';
import { serveSite, type Serving } from '../../src/tools/bundle/serve.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { importVariant } from '../helpers/modules.js';

const SCHEDULE = { steps: 40, evalEvery: 20, evalBatches: 1 };

interface PageState {
  status: string;
  error?: string;
  evaluations: Evaluation[];
  tablePrediction?: { features: number[]; outputs: number[]; label?: string };
}

const pageState = (page: Page): Promise<PageState> => page.evaluate('window.graphc') as Promise<PageState>;
const metrics = (evaluations: readonly Evaluation[]) => evaluations.map(({ step, train, test }) => ({ step, train, test }));

describe.runIf(chromiumAvailable)('graphc bundle: a tabular spec (Iris) in a browser', () => {
  const work = mkdtempSync(join(tmpdir(), 'graphc-tabular-test-'));
  let model: AnyCompiledModel;
  let serving: Serving;
  let browser: Browser;
  let page: Page;
  let node: Evaluation[];

  beforeAll(async () => {
    await bundleSpec({ spec: 'graphs/iris.yaml', out: join(work, 'site'), backend: 'wasm' });
    serving = await serveSite({ dir: join(work, 'site'), port: 0 });
    browser = await launchChromium();
    page = await browser.newPage();
    model = await importVariant('graphs/iris.yaml', []);
    const result = await runModel(model, { backend: 'wasm', ...SCHEDULE, workers: 1, workersGiven: true, out: join(work, 'node-run'), print: () => {}, status: () => {} });
    node = [...result.evaluations];
  });

  afterAll(async () => {
    await browser?.close();
    await serving?.close();
  });

  it("trains on the table to graphc run's metrics, bit for bit", async () => {
    await page.goto(`${serving.url}?backend=wasm&steps=${SCHEDULE.steps}&eval_every=${SCHEDULE.evalEvery}&eval_batches=${SCHEDULE.evalBatches}&fresh`);
    await page.waitForFunction(`['done', 'failed'].includes(window.graphc?.status)`, { timeout: 240_000 });
    const done = await pageState(page);
    expect(done.error).toBeUndefined();
    expect(done.evaluations).toHaveLength(2);
    expect(metrics(done.evaluations)).toEqual(metrics(node));
  });

  it('predicts a row typed in the form, and one pasted as CSV, as Node does from the same weights', async () => {
    const trained = new TrainedModel(model, readCheckpoint(join(work, 'node-run')));
    const nodeProbabilities = (row: number[]): number[] => Array.from(trained.run(Float32Array.from(row), new Float32Array(3), 1, ['probabilities'], { features: [4], classes: 3 })[0]!);
    const columns = await page.$$eval('#features input[name]', (inputs) => inputs.map((i) => (i as HTMLInputElement).name));
    expect(columns).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    try {
      // Typed, one input per column: a setosa's measurements.
      const setosa = [5.1, 3.5, 1.4, 0.2];
      for (const [i, value] of setosa.entries()) await page.type(`#feature-${i}`, String(value));
      await page.click('#predict-button');
      await page.waitForFunction('window.graphc?.tablePrediction !== undefined');
      const typed = (await pageState(page)).tablePrediction!;
      expect(typed.features).toEqual(setosa);
      typed.outputs.forEach((p, i) => expect(p).toBeCloseTo(nodeProbabilities(setosa)[i]!, 6));
      expect(typed.label).toBe(['setosa', 'versicolor', 'virginica'][typed.outputs.indexOf(Math.max(...typed.outputs))]);

      // Pasted whole: a virginica's row fills the inputs.
      const virginica = [6.9, 3.1, 5.4, 2.1];
      await page.type('#csv-row', virginica.join(','));
      await page.keyboard.press('Tab');
      await page.click('#predict-button');
      await page.waitForFunction(`window.graphc?.tablePrediction?.features[0] === ${virginica[0]}`);
      const pasted = (await pageState(page)).tablePrediction!;
      expect(pasted.features).toEqual(virginica);
      pasted.outputs.forEach((p, i) => expect(p).toBeCloseTo(nodeProbabilities(virginica)[i]!, 6));
    } finally {
      trained.dispose();
    }
  });
});
