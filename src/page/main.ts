/// <reference lib="dom" />
/**
 * The page `graphc bundle` writes: starts a backend (WebGPU when the browser
 * has an adapter, else wasm) and says which, fetches MNIST from the site,
 * resumes from the checkpoint IndexedDB keeps (if any), trains with progress,
 * the log line and live curves, pauses and resumes, classifies a drawn digit,
 * or predicts a tabular spec's example entered in a form or pasted as a CSV row,
 * and offers checkpoint.gck for download. Query flags: backend=auto|webgpu|wasm,
 * steps, eval_every, eval_batches, batch_size (a schedule other than the spec's),
 * fresh (ignore the stored checkpoint), pause_at=N (pause after step N, as the pause button
 * does), bench=N (time N training steps instead of training).
 * What it does is also in `window.graphc`, for tests.
 */
import embed, { type Result } from 'vega-embed';
import { curvesChart } from '../tools/plot/chart.js';
import { startPageBackend, type PageBackend, type PageBackendRequest } from '../runtime/browser/backend.js';
import { fetchMnist } from '../runtime/browser/mnist.js';
import { deleteCheckpoint, loadCheckpointBytes, saveCheckpointBytes } from '../runtime/browser/store.js';
import { trainInPage, type PageSchedule } from '../runtime/browser/train.js';
import { decodeCheckpoint, type Checkpoint } from '../runtime/checkpoint_format.js';
import { labelWidth, type DataSet, type ExampleShape } from '../runtime/data/dataset.js';
import { fetchTable } from '../runtime/browser/files.js';
import { TrainedModel } from '../runtime/inference.js';
import type { AnyCompiledModel } from '../runtime/model.js';
import { browserPlatform } from '../runtime/platform/browser.js';
import { usePlatform } from '../runtime/platform/platform.js';
import { RandomStream } from '../runtime/random.js';
import type { Evaluation } from '../runtime/run_folder.js';
import { TrainingSession } from '../runtime/session.js';
import type { PageConfig, TableInfo } from '../runtime/browser/config.js';
import { FeatureForm } from './form.js';
import { DigitPad } from './pad.js';

/** What the page has done, for a test to read. */
interface PageState {
  status: 'starting' | 'training' | 'paused' | 'done' | 'benched' | 'failed';
  backend?: PageBackend;
  step: number;
  resumedAt?: number;
  lines: string[];
  evaluations: Evaluation[];
  error?: string;
  bench?: { steps: number; warmup: number; meanMs: number; medianMs: number; times: number[] };
  prediction?: { digit: number; probabilities: number[]; pixels: number[] };
  /** A form's example (a tabular spec): the values entered, the output node's values (probabilities for a classifier) and the class. */
  tablePrediction?: { features: number[]; outputs: number[]; label?: string };
}

const state: PageState = { status: 'starting', step: 0, lines: [], evaluations: [] };
(globalThis as { graphc?: PageState }).graphc = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export async function startPage(model: AnyCompiledModel, config: PageConfig): Promise<void> {
  usePlatform(browserPlatform);
  try {
    await run(model, config);
  } catch (error) {
    state.status = 'failed';
    state.error = error instanceof Error ? error.message : String(error);
    $('status').textContent = `failed: ${state.error}`;
    throw error;
  }
}

function queryInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`?${name}=${value}: expected a positive integer`);
  return n;
}

async function run(model: AnyCompiledModel, config: PageConfig): Promise<void> {
  const query = new URLSearchParams(location.search);
  const request = (query.get('backend') ?? config.backend) as PageBackendRequest;
  if (!['auto', 'webgpu', 'wasm'].includes(request)) throw new Error(`?backend=${request}: expected auto, webgpu or wasm`);
  const s = config.schedule;
  const schedule: PageSchedule = {
    steps: queryInt(query, 'steps') ?? s.steps,
    batchSize: queryInt(query, 'batch_size') ?? s.batchSize,
    evalEvery: queryInt(query, 'eval_every') ?? s.evalEvery,
    evalBatches: queryInt(query, 'eval_batches') ?? s.evalBatches,
    evalBatchSize: queryInt(query, 'batch_size') ?? s.evalBatchSize,
  };
  $('title').textContent = `graphc: ${config.name}`;
  $('description').textContent = config.description;
  $('status').textContent = 'starting a backend…';
  const backend = await startPageBackend(request, new URL('wasm/', location.href).href);
  state.backend = backend;
  $('backend').textContent = `backend ${backend.name} on ${backend.device}${backend.skipped ? ` (webgpu skipped: ${backend.skipped})` : ''}`;

  const random = new RandomStream(config.seed, 'data');
  const dataUrl = new URL('data', location.href).href;
  $('status').textContent = config.data.kind === 'mnist' ? 'fetching MNIST…' : 'fetching the data…';
  const data = config.data.kind === 'mnist' ? await fetchMnist(dataUrl, random) : await fetchTable(dataUrl, random);

  const pauseAt = queryInt(query, 'pause_at');
  const bench = queryInt(query, 'bench');
  if (bench !== undefined) return benchSteps(model, config.seed, data, schedule.batchSize, bench);

  const key = `${config.name} ${JSON.stringify(config.params)} seed ${config.seed} ${JSON.stringify(schedule)} ${backend.name}`;
  if (query.has('fresh')) await deleteCheckpoint(key);
  let latest = await loadCheckpointBytes(key);
  let resume: Checkpoint | undefined = latest ? decodeCheckpoint(latest, 'IndexedDB') : undefined;
  if (resume) {
    state.resumedAt = resume.header.step;
    state.evaluations = [...(resume.header.evaluations as Evaluation[])];
  }

  let chart: Result | undefined;
  // Redrawn whole after each evaluation: a faceted chart lays out its panels from the data it starts with.
  const draw = async (): Promise<void> => {
    chart?.finalize();
    chart = await embed('#curves', curvesChart([{ label: config.name, model: config.name, evaluations: state.evaluations }]), { actions: false, renderer: 'svg' });
  };
  if (state.evaluations.length > 0) await draw();
  const table = config.data.kind === 'table' ? config.data : undefined;
  if (table && (config.output || table.prediction)) {
    $('predict-title').textContent = 'an example to predict:';
    new FeatureForm($('pad'), table.columns, (values) => predictRow(model, config, table, data.train.shape, latest, values), (message) => ($('prediction').textContent = message));
  } else if (!table && config.output) {
    new DigitPad($('pad'), (pixels) => predict(model, config, latest, pixels));
  } else {
    $('predict').hidden = true;
  }
  const download = $<HTMLButtonElement>('download');
  const pause = $<HTMLButtonElement>('pause');
  download.onclick = () => {
    if (!latest) return;
    const link = document.createElement('a');
    // The bytes are a fresh array (encodeCheckpoint, IndexedDB), never shared memory.
    link.href = URL.createObjectURL(new Blob([latest as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    link.download = 'checkpoint.gck';
    link.click();
  };
  const keep = async (bytes: Uint8Array): Promise<void> => {
    latest = bytes;
    download.disabled = false;
    await saveCheckpointBytes(key, bytes);
  };
  if (latest) download.disabled = false;

  let stoppedEarly: number | undefined;
  for (;;) {
    const controller = new AbortController();
    pause.textContent = 'pause';
    pause.onclick = () => controller.abort();
    state.status = 'training';
    const from = resume?.header.step ?? 0;
    $('status').textContent = from > 0 ? `resumed at step ${from}` : 'training…';
    const result = await trainInPage(model, {
      backend,
      seed: config.seed,
      schedule,
      source: config.source,
      data: { train: data.train, test: data.test, random },
      ...(resume ? { resume } : {}),
      signal: controller.signal,
      onStep: (step) => {
        if (step === pauseAt) controller.abort();
        state.step = step;
        $<HTMLProgressElement>('progress').value = step / schedule.steps;
        $('step').textContent = `step ${step} of ${schedule.steps}`;
      },
      onEvaluation: async (evaluation, line, bytes) => {
        // Kept first, so that what the page shows is already in IndexedDB.
        await keep(bytes);
        state.evaluations.push(evaluation);
        state.lines.push(line);
        $('log').textContent += `${line}\n`;
        await draw();
      },
      onSave: keep,
    });
    result.session.dispose();
    state.step = result.session.step;
    stoppedEarly = result.stoppedEarly;
    if (!result.paused) break;
    state.status = 'paused';
    $('status').textContent = `paused at step ${state.step}`;
    pause.textContent = 'resume';
    await new Promise<void>((resolve) => (pause.onclick = () => resolve()));
    resume = decodeCheckpoint(latest!, 'IndexedDB');
  }
  state.status = 'done';
  pause.disabled = true;
  $('status').textContent = stoppedEarly !== undefined ? `stopped early at step ${stoppedEarly}: the monitored metric stopped improving` : `trained ${state.step} steps`;
}

function predict(model: AnyCompiledModel, config: PageConfig, bytes: Uint8Array | undefined, pixels: Float32Array): void {
  if (!bytes || !config.output) {
    $('prediction').textContent = 'train first: the pad classifies with the latest checkpoint';
    return;
  }
  const trained = new TrainedModel(model, decodeCheckpoint(bytes, 'IndexedDB'));
  try {
    const [scores] = trained.run(pixels, new Float32Array(10), 1, [config.output.node]);
    let probabilities = Array.from(scores!);
    if (config.output.needsSoftmax) probabilities = softmax(probabilities);
    const digit = probabilities.indexOf(Math.max(...probabilities));
    state.prediction = { digit, probabilities, pixels: Array.from(pixels) };
    $('prediction').textContent = `${digit} (probability ${probabilities[digit]!.toFixed(3)})`;
  } finally {
    trained.dispose();
  }
}

/** A form's example through the latest checkpoint: a classifier's class probabilities, or a regression's values. */
function predictRow(model: AnyCompiledModel, config: PageConfig, table: TableInfo, shape: ExampleShape, bytes: Uint8Array | undefined, values: readonly number[]): void {
  const node = config.output?.node ?? table.prediction;
  if (!bytes || !node) {
    $('prediction').textContent = 'train first: the form predicts with the latest checkpoint';
    return;
  }
  // Scaled as training scaled the files (and as graphc predict scales a row).
  const factor = Math.fround(table.scale);
  const features = Float32Array.from(values, (v) => (factor === 1 ? v : v * factor));
  const trained = new TrainedModel(model, decodeCheckpoint(bytes, 'IndexedDB'));
  try {
    const [scores] = trained.run(features, new Float32Array(labelWidth(shape)), 1, [node], shape);
    let outputs = Array.from(scores!);
    if (config.output && table.classes) {
      if (config.output.needsSoftmax) outputs = softmax(outputs);
      const best = outputs.indexOf(Math.max(...outputs));
      state.tablePrediction = { features: [...values], outputs, label: table.classes[best]! };
      $('prediction').textContent = `${table.classes[best]} (probability ${outputs[best]!.toFixed(3)})`;
    } else {
      state.tablePrediction = { features: [...values], outputs };
      $('prediction').textContent = outputs.map((v, i) => `${table.targets?.[i] ?? node}: ${v.toPrecision(5)}`).join(', ');
    }
  } finally {
    trained.dispose();
  }
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exp = values.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

/** `?bench=N`: N timed training steps after 2 untimed ones, each read back (as `graphc bench` times a step). */
async function benchSteps(model: AnyCompiledModel, seed: number, data: { readonly train: DataSet }, batchSize: number, steps: number): Promise<void> {
  const warmup = 2;
  const session = new TrainingSession(model, seed);
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const start = performance.now();
      const metrics = session.trainStep(data.train.nextBatch(batchSize));
      await session.readMetricsAsync(metrics);
      metrics.dispose();
      if (i >= warmup) times.push(performance.now() - start);
      $('step').textContent = `bench step ${i + 1} of ${warmup + steps}`;
    }
  } finally {
    session.dispose();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
  const medianMs = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  state.bench = { steps, warmup, meanMs, medianMs, times };
  state.status = 'benched';
  $('status').textContent = `bench: ${steps} training steps of batch ${batchSize}, mean ${meanMs.toFixed(1)} ms, median ${medianMs.toFixed(1)} ms per step`;
}
