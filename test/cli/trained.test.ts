/**
 * A run's results on disk and what is done with them afterwards: run folders
 * (metrics.jsonl, summary.json, curves.svg), plot, eval, predict and export.
 * One small model is trained once (the `graphc init` template, 60 steps) and
 * a tiny Bi-GRU for the export of recurrent layers.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrainedRun } from '../../src/cli/trained-run.js';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { compileSpec } from '../../src/compiler/index.js';
import { toLayersModel } from '../../src/tools/export/layers.js';
import type { ClassificationReport } from '../../src/tools/eval/report.js';
import type { EvaluationRecord } from '../../src/tools/eval/run-folder.js';
import { findOutputNode } from '../../src/tools/export/output-node.js';
import { readDigitPng } from '../../src/tools/predict/image.js';
import { initBackend } from '../../src/runtime/backends.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';
import { graphc } from '../helpers/cli.js';


const root = mkdtempSync(join(tmpdir(), 'graphc-trained-'));
// Inside this package: a module is loaded as ESM only under a package.json with "type": "module".
const gen = '.graphc/test-modules/trained';
const mlpRun = join(root, 'mlp-run');
const bigruRun = join(root, 'bigru-run');
const test = loadMnist({ random: new RandomStream(1, 'data') }).test;

/** MNIST test image i as a PNG: grey, 28×28 scaled by `scale`, optionally dark-on-light. */
function digitPng(i: number, scale = 1, invert = false): string {
  const side = 28 * scale;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = test.images[i * 784 + Math.floor(y / scale) * 28 + Math.floor(x / scale)]!;
      const byte = Math.round((invert ? 1 - v : v) * 255);
      png.data.set([byte, byte, byte, 255], 4 * (y * side + x));
    }
  }
  const file = join(root, `digit-${i}-${scale}${invert ? '-inverted' : ''}.png`);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** The code and message of the diagnostic that `action` fails with. */
function diagnosticOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof GraphcError) return `${error.diagnostics[0]!.code}: ${error.diagnostics[0]!.message}`;
    throw error;
  }
  return undefined;
}

beforeAll(async () => {
  await initBackend('cpu');
  tf.env().set('PROD', true);
  expect(graphc('init', 'mlp', '--dir', root).status).toBe(0);
  const mlp = graphc('run', join(root, 'mlp.yaml'), '--backend', 'wasm', '--steps', '60', '--eval-every', '30', '--eval-batches', '5', '--set', 'hidden=32', '--out', mlpRun, '--out-dir', gen);
  expect(mlp.status, mlp.stderr).toBe(0);
  const bigru = graphc('run', 'graphs/bigru.yaml', '--backend', 'wasm', '--steps', '20', '--eval-every', '10', '--eval-batches', '2', '--set', 'hidden_size=6', '--set', 'layer_num=2', '--out', bigruRun, '--out-dir', gen, '--no-progress');
  expect(bigru.status, bigru.stderr).toBe(0);
});

describe('a run folder', () => {
  it('holds metrics.jsonl, summary.json (spec, params, backend, device, versions, seed, wall time, final metrics), curves.svg and the checkpoint', () => {
    const lines = readFileSync(join(mlpRun, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([30, 60]);
    const summary = JSON.parse(readFileSync(join(mlpRun, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ model: 'mlp', spec: join(root, 'mlp.yaml'), backend: 'wasm', seed: 1, steps: 60 });
    expect((summary['params'] as Record<string, unknown>)['hidden']).toBe(32);
    expect(summary['device']).toMatch(/WebAssembly/);
    expect(summary['versions']).toMatchObject({ graphc: expect.any(String), node: process.versions.node, '@tensorflow/tfjs-core': expect.any(String) });
    expect(summary['wall_seconds']).toBeGreaterThan(0);
    expect((summary['final'] as { step: number }).step).toBe(60);
    expect(readFileSync(join(mlpRun, 'curves.svg'), 'utf8')).toContain('>acc</text>');
    expect(existsSync(join(mlpRun, 'checkpoint.gck'))).toBe(true);
  });

  it('graphc plot overlays runs, labelled by what differs', () => {
    const out = join(root, 'both.svg');
    const r = graphc('plot', mlpRun, bigruRun, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('>mlp</text>');
    expect(svg).toContain('>bigru</text>');
  });
});

describe('graphc eval', () => {
  it('evaluates the checkpoint on the whole test set; the result does not depend on the batch size', async () => {
    const r = graphc('eval', mlpRun, '--backend', 'cpu', '--format', 'json', '--out-dir', gen);
    expect(r.status, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as { step: number; examples: number; test: { cost: number; acc: number } };
    expect(printed).toMatchObject({ step: 60, examples: 10_000 });
    // 60 steps of the template reach far above chance (0.1).
    expect(printed.test.acc).toBeGreaterThan(0.6);
    const run = await openTrainedRun(mlpRun, gen);
    try {
      const whole = run.trained.evaluate(test, 10_000);
      const batched = run.trained.evaluate(test, 300);
      expect(whole['acc']).toBeCloseTo(printed.test.acc, 6);
      expect(batched['acc']).toBeCloseTo(whole['acc']!, 6);
      expect(batched['cost']).toBeCloseTo(whole['cost']!, 5);
    } finally {
      run.trained.dispose();
    }
  });

  it('reports the confusion matrix and per-class scores of the model’s own predictions, in eval.json and confusion.svg too', async () => {
    const r = graphc('eval', mlpRun, '--backend', 'cpu', '--out-dir', gen, '--no-progress');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^test cost=\d\.\d{6}, acc=\d\.\d{6} \(10000 examples; mlp at step 60[^)]*\)\n\nconfusion matrix \(10000 test examples; rows: true class, columns: predicted class\)\n {2}true \\ predicted +0 +1 +2 +3 +4 +5 +6 +7 +8 +9\n/);
    expect(r.stdout).toMatch(/\n {2}class +precision +recall +f1 +support\n {2}0 +0\.\d{4} +0\.\d{4} +0\.\d{4} +980\n/);
    expect(r.stderr).toContain(`graphc: report in ${join(mlpRun, 'eval.json')} and ${join(mlpRun, 'confusion.svg')}`);
    const saved = JSON.parse(readFileSync(join(mlpRun, 'eval.json'), 'utf8')) as EvaluationRecord;
    expect(saved).toMatchObject({ model: 'mlp', step: 60, examples: 10_000, node: 'probabilities' });
    const report = saved.report as ClassificationReport;
    // The matrix counts the argmax of the output node's values for each test image, computed here on their own.
    const run = await openTrainedRun(mlpRun, gen);
    let scores: Float32Array;
    try {
      [scores] = run.trained.run(test.images, test.labels, test.count, [saved.node]) as [Float32Array];
    } finally {
      run.trained.dispose();
    }
    const expected = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < test.count; i++) {
      const row = (values: ArrayLike<number>, offset: number): number => Array.from({ length: 10 }, (_, c) => values[offset + c]!).reduce((best, v, c, all) => (v > all[best]! ? c : best), 0);
      expected[row(test.labels, i * 10)]![row(scores, i * 10)]! += 1;
    }
    expect(report.matrix).toEqual(expected);
    // The spec's own accuracy metric agrees with the matrix's diagonal.
    expect(report.accuracy).toBeCloseTo(saved.test['acc']!, 6);
    expect(report.perClass.map((c) => c.support)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const svg = readFileSync(join(mlpRun, 'confusion.svg'), 'utf8');
    expect(svg).toContain('mlp at step 60: confusion matrix');
    expect(svg).toContain(`count: ${report.matrix[3]![5]};`);
  });
});

describe('graphc predict', () => {
  it('prints the probabilities the model computes for the image, 28×28 or larger, light-on-dark or inverted', async () => {
    const run = await openTrainedRun(mlpRun, gen);
    const output = findOutputNode(run.graph);
    try {
      for (const [i, file] of [[0, digitPng(0)], [1, digitPng(1, 3, true)]] as const) {
        const [expected] = run.trained.run(test.images.subarray(i * 784, (i + 1) * 784), new Float32Array(10), 1, [output.node.name]);
        const r = graphc('predict', mlpRun, file, '--backend', 'cpu', '--format', 'json', '--out-dir', gen);
        expect(r.status, r.stderr).toBe(0);
        const result = JSON.parse(r.stdout) as { prediction: number; probabilities: number[]; inverted: boolean };
        expect(result.inverted).toBe(file.includes('inverted'));
        result.probabilities.forEach((p, k) => expect(p).toBeCloseTo(expected![k]!, 5));
        expect(result.prediction).toBe(Array.from(expected!).indexOf(Math.max(...expected!)));
      }
      const text = graphc('predict', mlpRun, digitPng(2), '--backend', 'cpu', '--out-dir', gen);
      expect(text.stdout.split('\n').filter((l) => /^ {2}\d {2}\d\.\d{6}/.test(l))).toHaveLength(10);
    } finally {
      run.trained.dispose();
    }
  });

  it('GC755: an image too small or not a PNG; GC756: an output node that holds no class probabilities', async () => {
    const small = join(root, 'small.png');
    writeFileSync(small, PNG.sync.write(new PNG({ width: 20, height: 20 })));
    expect(diagnosticOf(() => readDigitPng(small))).toBe(`GC755: ${small}: it is 20×20; a digit needs at least 28×28 pixels (MNIST's size)`);
    writeFileSync(join(root, 'text.png'), 'not an image');
    expect(diagnosticOf(() => readDigitPng(join(root, 'text.png')))).toMatch(/^GC755: .*text\.png: not a PNG image \(.*\); convert it to PNG first$/);
    const graph = compileSpec(join(root, 'mlp.yaml'), { set: ['hidden=32'], checkOnly: true }).graph!;
    expect(diagnosticOf(() => findOutputNode(graph, 'hidden_layer'))).toBe(
      "GC756: node 'hidden_layer' is float32 [?, 32], not float32 [batch, 10]; name the node that holds the class probabilities with --output NODE (float32 [batch, 10] nodes: 'logits', 'probabilities', 'log_probabilities', 'weighted')",
    );
    expect(diagnosticOf(() => findOutputNode(graph, 'probabilitis'))).toMatch(/^GC756: the graph has no node 'probabilitis' \(did you mean 'probabilities'\?\)/);
    expect(findOutputNode(graph, 'logits')).toMatchObject({ node: { name: 'logits' }, needsSoftmax: true });
  });
});

describe('graphc export --format tfjs-layers', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      if (!file.startsWith(root) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      // No keep-alive: an idle connection the server has closed would be reused by the next test's fetch.
      res.writeHead(200, { Connection: 'close' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const [name, dir] of [['the template (dense layers)', mlpRun], ['a 2-layer Bi-GRU', bigruRun]] as const) {
    it(`${name}: tf.loadLayersModel opens it over HTTP and it predicts what the graph computes`, async () => {
      const r = graphc('export', dir, '--format', 'tfjs-layers', '--out-dir', gen);
      expect(r.status, r.stderr).toBe(0);
      const model = await tf.loadLayersModel(`${base}/${join(dir, 'tfjs-layers', 'model.json').slice(root.length + 1)}`);
      const run = await openTrainedRun(dir, gen);
      try {
        const count = 16;
        const images = test.images.subarray(0, count * 784);
        const [expected] = run.trained.run(images, new Float32Array(count * 10), count, [findOutputNode(run.graph).node.name]);
        const actual = tf.tidy(() => (model.predict(tf.tensor2d(images, [count, 784])) as tf.Tensor).dataSync());
        expect(actual.length).toBe(count * 10);
        let worst = 0;
        actual.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - expected![k]!))));
        expect(worst).toBeLessThan(1e-5);
      } finally {
        run.trained.dispose();
        model.dispose();
      }
    });
  }

  it('GC758: a graph whose inference path has an op without a layer is refused, naming the node', async () => {
    const spec = join(root, 'exp.yaml');
    writeFileSync(spec, readFileSync(join(root, 'mlp.yaml'), 'utf8').replace('probabilities: {op: softmax, inputs: [logits]}', 'scaled: {op: exp, inputs: [logits]}\n  probabilities: {op: softmax, inputs: [scaled]}'));
    const graph = compileSpec(spec, { set: ['hidden=32'], checkOnly: true }).graph!;
    const run = await openTrainedRun(mlpRun, gen);
    try {
      expect(diagnosticOf(() => toLayersModel(graph, findOutputNode(graph), run.trained.weights))).toBe(
        "GC758: cannot export to tfjs-layers: node 'scaled' (exp) lies on the path to 'probabilities' and has no tfjs-layers counterpart that graphc exports",
      );
    } finally {
      run.trained.dispose();
    }
  });

  it('GC757: a checkpoint that no longer fits its spec says so', async () => {
    const spec = join(root, 'changing.yaml');
    writeFileSync(spec, readFileSync(join(root, 'mlp.yaml'), 'utf8').replace('name: mlp', 'name: changing'));
    const out = join(root, 'changing-run');
    expect(graphc('run', spec, '--backend', 'cpu', '--steps', '2', '--eval-every', '2', '--eval-batches', '1', '--out', out, '--out-dir', gen, '--no-progress').status).toBe(0);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('units: $hidden, activation: relu', 'units: 7, activation: relu'));
    const error = await openTrainedRun(out, gen).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphcError);
    expect((error as GraphcError).diagnostics[0]!.code).toBe('GC757');
    expect((error as GraphcError).diagnostics[0]!.message).toContain("variable 'hidden_layer/kernel' is [784, 128] in the checkpoint but [784, 7] in the model");
  });
});
