/**
 * graphc export --format onnx: each model's ONNX file passes ONNX's checker
 * (Debian's python3-onnx; skipped, saying why, where it is missing) and ONNX
 * Runtime (onnxruntime-web, from npm) computes graphc's predictions from it.
 * The models are the repository's graphs at small sizes, with seeded random
 * weights; one is trained and exported through the command line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrainedRun } from '../../../src/cli/trained-run.js';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../../src/common/diagnostics/format.js';
import { compileSpec } from '../../../src/compiler/index.js';
import { toOnnxModel } from '../../../src/interop/onnx/export.js';
import { encodeModel } from '../../../src/interop/onnx/proto.js';
import { importOnnx } from '../../../src/interop/onnx/index.js';
import { compileModule, runImported } from './helpers.js';
import { initBackend } from '../../../src/runtime/backends.js';
import { findOutputNode } from '../../../src/tools/export/output-node.js';
import type { Weight } from '../../../src/tools/export/layers.js';
import { graphc } from '../../helpers/cli.js';
import { maxDifference, randomFeatures, randomModel } from '../export-models.js';

const root = mkdtempSync(join(tmpdir(), 'graphc-onnx-export-'));
const python = process.env['GRAPHC_PYTHON'] ?? 'python3';
const onnxChecker = spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' });
const written: string[] = [];

/** A variant of a graph in the repository, its text edited (written beside the others in `root`, so its paths must not be relative). */
function variant(name: string, from: string, edit: (text: string) => string): string {
  const file = join(root, `${name}.yaml`);
  writeFileSync(file, edit(readFileSync(from, 'utf8')).replace(/^name: .*$/m, `name: ${name}`));
  return file;
}

/** Per exported model: its file, the features it was run on and graphc's predictions, for the round trip. */
const exported = new Map<string, { path: string; features: Float32Array; expected: Float32Array }>();

async function exportAndRun(name: string, file: string, set: readonly string[], width: number): Promise<number> {
  const model = await randomModel(file, set);
  try {
    const target = findOutputNode(model.graph);
    const { model: onnx, input, output } = toOnnxModel(model.graph, target, model.weights, { producerVersion: 'test' });
    const path = join(root, `${name}.onnx`);
    writeFileSync(path, encodeModel(onnx));
    written.push(path);
    const count = 5;
    const features = randomFeatures(count, width);
    const expected = model.predict(features, count, target.node.name);
    exported.set(name, { path, features, expected });
    const session = await ort.InferenceSession.create(path);
    const result = await session.run({ [input]: new ort.Tensor('float32', features, [count, width]) });
    const actual = result[output]!.data as Float32Array;
    await session.release();
    return maxDifference(actual, expected);
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await initBackend('cpu');
});

afterAll(() => {
  process.stdout.write(`onnx export: largest differences ${JSON.stringify(differences)}\n`);
});

const differences: Record<string, number> = {};
const models: { name: string; file: () => string; set: string[]; width: number }[] = [
  { name: 'bigru', file: () => 'graphs/bigru.yaml', set: ['hidden_size=5', 'layer_num=2'], width: 784 },
  {
    name: 'bigru_reset_after',
    file: () => variant('bigru_reset_after', 'graphs/bigru.yaml', (t) => t.replace('cell: {type: $cell_type, units: $hidden_size}', 'cell: {type: $cell_type, units: $hidden_size, reset_after: true}')),
    set: ['hidden_size=4', 'layer_num=1'],
    width: 784,
  },
  { name: 'gru', file: () => 'graphs/gru.yaml', set: ['hidden_size=6', 'layer_num=2'], width: 784 },
  { name: 'lstm', file: () => 'graphs/lstm.yaml', set: ['hidden_size=6', 'layer_num=2'], width: 784 },
  { name: 'cnn', file: () => 'graphs/cnn.yaml', set: ['conv1_features=2', 'conv2_features=3', 'fc_units=8'], width: 784 },
  { name: 'iris', file: () => 'graphs/iris.yaml', set: [], width: 4 },
  { name: 'transformer', file: () => 'graphs/transformer.yaml', set: ['d_model=8', 'heads=2', 'ff_units=16'], width: 784 },
];

describe('toOnnxModel: ONNX Runtime computes what graphc computes', () => {
  for (const m of models) {
    it(`${m.name} (${m.set.join(' ') || 'as in the repository'})`, async () => {
      const worst = await exportAndRun(m.name, m.file(), m.set, m.width);
      differences[m.name] = worst;
      // Float32 arithmetic in another order: the probabilities agree to well under 1e-5.
      expect(worst).toBeLessThan(2e-5);
    });
  }
});

describe('round trip: graphc → ONNX → graphc import predicts what the original graph does', () => {
  // Every exported graph: the transformer's attention written out comes back as multi_head_attention (fuse.ts),
  // the cnn's conv bias (an Add of an initializer) and the transformer's position table as variables.
  for (const name of ['gru', 'lstm', 'iris', 'bigru', 'bigru_reset_after', 'cnn', 'transformer']) {
    it(name, async () => {
      const model = exported.get(name);
      expect(model, 'exported above').toBeDefined();
      const { path, features, expected } = model!;
      const imported = importOnnx(path, { out: join(root, 'imported', `${name}_back.yaml`) });
      const module = await compileModule(imported.specPath);
      const actual = await runImported(module, imported, [...features], 5);
      const worst = maxDifference(actual, expected);
      differences[`${name} round trip`] = worst;
      expect(worst).toBeLessThan(2e-5);
      // The ops come back as the ones the graph had, not as their ONNX decompositions.
      if (name === 'transformer') expect(imported.spec.text.match(/op: (multi_head_attention|layer_norm)\b/g)?.length).toBe(7);
      if (name === 'cnn') expect(imported.spec.text).not.toContain('op: transpose');
    });
  }
});

describe("ONNX's checker", () => {
  it.skipIf(onnxChecker.status !== 0)(`accepts every exported model (full check, with shape inference)${onnxChecker.status !== 0 ? ` — skipped: ${python} cannot import onnx (apt install python3-onnx)` : ''}`, () => {
    expect(written.length).toBe(models.length);
    const script = 'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n    print("ok", f)';
    const r = spawnSync(python, ['-c', script, ...written], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(models.length);
  });
});

describe('what cannot be exported', () => {
  const messages = (action: () => unknown): string[] => {
    try {
      action();
    } catch (error) {
      if (error instanceof GraphcError) return error.diagnostics.map((d) => formatDiagnostic(d));
      throw error;
    }
    return [];
  };

  it('GC820: every node without an ONNX counterpart, at once, located in the spec', () => {
    const file = variant('unsupported', 'graphs/iris.yaml', (t) =>
      t
        .replace('probabilities: {op: softmax, inputs: [logits]}', 'clipped: {op: clip_by_value, inputs: [logits], clip_value_min: -5, clip_value_max: 5}\n  sorted_top: {op: logsumexp, inputs: [clipped], axis: 1, keepdims: true}\n  shifted: {op: sub, inputs: [clipped, sorted_top]}\n  probabilities: {op: softmax, inputs: [shifted]}')
        .replace('../data/iris/', join(process.cwd(), 'data/iris/') ),
    );
    const graph = compileSpec(file, { checkOnly: true }).graph!;
    const weights = new Map([...['hidden_layer', 'logits'].flatMap((n) => [[`${n}/kernel`, { shape: [1], values: new Float32Array(1) }], [`${n}/bias`, { shape: [1], values: new Float32Array(1) }]] as const)]);
    const found = messages(() => toOnnxModel(graph, findOutputNode(graph), weights, { producerVersion: 'test' }));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/unsupported\.yaml:\d+:\d+.*GC820.*node 'clipped' \(clip_by_value\) lies on the path to 'probabilities' and has no ONNX counterpart that graphc exports; the ONNX export supports abs, add/s);
    expect(found[1]).toMatch(/GC820.*node 'sorted_top' \(logsumexp\)/s);
  });

  it('GC821: dropout kept at evaluation is refused, naming the node and the fix', () => {
    const file = variant('dropout_at_eval', 'graphs/cnn.yaml', (t) => t.replace('eval: {x: batch.images, y_: batch.labels, keep_prob: 1.0}', 'eval: {x: batch.images, y_: batch.labels, keep_prob: 0.5}'));
    const graph = compileSpec(file, { checkOnly: true, set: ['conv1_features=2', 'conv2_features=3', 'fc_units=8'] }).graph!;
    // Any weight will do: the refusal is about the graph.
    const anyWeight = new (class extends Map<string, Weight> {
      override get(): Weight {
        return { shape: [1, 1, 1, 1], values: new Float32Array(1) };
      }
    })();
    expect(messages(() => toOnnxModel(graph, findOutputNode(graph), new Map(), { producerVersion: 'test' })).join('\n')).toMatch(/GC821.*node 'W_conv1' \(variable\) has no weight 'W_conv1' in the checkpoint/s);
    const found = messages(() => toOnnxModel(graph, findOutputNode(graph), anyWeight, { producerVersion: 'test' }));
    expect(found.join('\n')).toMatch(/dropout_at_eval\.yaml:\d+:\d+.*GC821.*node 'h_fc1_drop' \(dropout\) keeps values with probability 0\.5 at evaluation; an exported model applies no dropout \(feed 1\.0 in the eval phase\)/s);
  });
});

describe('graphc export --format onnx', () => {
  it('writes RUN/onnx/model.onnx from a trained run, and ONNX Runtime predicts what graphc eval computes', async () => {
    const run = join(root, 'iris-run');
    mkdirSync(run, { recursive: true });
    const trained = graphc('run', 'graphs/iris.yaml', '--backend', 'cpu', '--steps', '5', '--eval-every', '5', '--out', run, '--out-dir', '.graphc/test-modules/onnx', '--no-progress');
    expect(trained.status, trained.stderr).toBe(0);
    const r = graphc('export', run, '--format', 'onnx', '--out-dir', '.graphc/test-modules/onnx');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*onnx\/model\.onnx \(opset 17; input 'measurements' \[batch, 4\] → 'probabilities' \[batch, 3\], 4 nodes, 4 initializers\)/);
    const features = Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3, 5.9, 2.8, 4.3, 1.3]);
    const session = await ort.InferenceSession.create(join(run, 'onnx', 'model.onnx'));
    const out = await session.run({ measurements: new ort.Tensor('float32', features, [3, 4]) });
    await session.release();
    const opened = await openTrainedRun(run, '.graphc/test-modules/onnx');
    try {
      const [expected] = opened.trained.run(features, new Float32Array(9), 3, ['probabilities'], { features: [4], classes: 3 });
      expect(maxDifference(out['probabilities']!.data as Float32Array, expected!)).toBeLessThan(2e-6);
    } finally {
      opened.trained.dispose();
    }
  });
});
