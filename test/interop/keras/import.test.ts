/**
 * graphc import model.json: tfjs-layers models built and saved by tfjs
 * itself (Sequential MLP with dropout, GRU, LSTM, Bidirectional GRU, a CNN
 * with batch norm) are imported as a spec and checkpoint, and graphc's
 * outputs on the imported weights equal tfjs's; and graphc → tfjs-layers →
 * graphc gives the original graph's predictions.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { importKeras } from '../../../src/interop/keras/import.js';
import { initBackend } from '../../../src/runtime/backends.js';
import { tf } from '../../../src/runtime/tf.js';
import { saveLayersModel, toLayersModel } from '../../../src/tools/export/layers.js';
import { findOutputNode } from '../../../src/tools/export/output-node.js';
import { maxDifference, randomFeatures, randomModel } from '../export-models.js';
import { compileModule, runImported } from '../onnx/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'graphc-keras-'));
const differences: Record<string, number> = {};

beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => {
  process.stdout.write(`keras import: largest differences ${JSON.stringify(differences)}\n`);
});

/** Saves a model as tfjs's file:// handler lays it out: model.json and weights.bin in a folder. */
async function save(model: tf.LayersModel, name: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  await saveLayersModel(model, (file, data) => writeFileSync(join(dir, file), data), { convertedBy: 'test' });
  return join(dir, 'model.json');
}

const sequential = (layers: tf.layers.Layer[]): tf.Sequential => {
  const model = tf.sequential();
  for (const l of layers) model.add(l);
  return model;
};

const MODELS: Record<string, () => tf.LayersModel> = {
  mlp: () => sequential([tf.layers.dense({ inputShape: [784], units: 8, activation: 'relu' }), tf.layers.dropout({ rate: 0.3 }), tf.layers.dense({ units: 10, activation: 'softmax' })]),
  gru: () => sequential([tf.layers.reshape({ inputShape: [784], targetShape: [28, 28] }), tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 10, activation: 'softmax' })]),
  lstm: () => sequential([tf.layers.reshape({ inputShape: [784], targetShape: [28, 28] }), tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }), tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 10, activation: 'softmax' })]),
  bigru: () => sequential([tf.layers.reshape({ inputShape: [784], targetShape: [28, 28] }), tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }) as tf.RNN }), tf.layers.dense({ units: 10, activation: 'softmax' })]),
  cnn_functional: () => {
    const x = tf.input({ shape: [784] });
    let h = tf.layers.reshape({ targetShape: [28, 28, 1] }).apply(x) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 2, kernelSize: 5, padding: 'same', activation: 'relu' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization({ movingMeanInitializer: 'randomUniform', movingVarianceInitializer: 'ones', gammaInitializer: 'randomUniform', betaInitializer: 'randomUniform' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
    return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 10, activation: 'softmax' }).apply(h) as tf.SymbolicTensor });
  },
};

describe('graphc import model.json (saved by tfjs)', () => {
  for (const [name, build] of Object.entries(MODELS)) {
    it(`${name}: graphc's outputs on the imported weights are tfjs's`, async () => {
      const model = build();
      // Keras's GRU and LSTM default to sigmoid (tfjs's to hard_sigmoid, which graphc's cells do not compute).
      // Non-zero biases everywhere, so a bias put in the wrong place shows.
      model.setWeights(model.weights.map((w, i) => (w.shape.length === 1 && !w.name.includes('variance') ? tf.randomUniform(w.shape as number[], -0.5, 0.5, 'float32', i) : w.read())));
      const file = await save(model, name);
      const imported = importKeras(file, { out: join(root, 'specs', `${name}.yaml`) });
      const module = await compileModule(imported.specPath);
      const count = 3;
      const features = randomFeatures(count, 784);
      const actual = await runImported(module, imported, [...features], count);
      const expected = tf.tidy(() => (model.predict(tf.tensor2d(features, [count, 784])) as tf.Tensor).dataSync() as Float32Array);
      const worst = maxDifference(actual, expected);
      differences[name] = worst;
      expect(worst).toBeLessThan(2e-5);
      model.dispose();
    });
  }

  it('GC823: every layer graphc cannot express, at once', async () => {
    const model = sequential([tf.layers.dense({ inputShape: [784], units: 8, activation: 'elu' }), tf.layers.reshape({ targetShape: [4, 2] }), tf.layers.simpleRNN({ units: 2 }), tf.layers.dense({ units: 10 })]);
    let message = '';
    try {
      importKeras(await save(model, 'refused'), { out: join(root, 'specs', 'refused.yaml') });
    } catch (error) {
      message = error instanceof GraphcError ? error.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n') : String(error);
    }
    expect(message).toMatch(/^GC823: .*model\.json: graphc cannot express 2 layers of this model:\n {2}- 'dense_\w+' \(Dense\): activation 'elu'.*\n {2}- 'simple_rnn_\w+' \(SimpleRNN\): graphc has no counterpart for this layer\ngraphc imports InputLayer, Dense/);
    model.dispose();
  });

  it('GC822: a model.json whose weight file is short says so', async () => {
    const model = sequential([tf.layers.dense({ inputShape: [784], units: 2 })]);
    const file = await save(model, 'short');
    writeFileSync(join(root, 'short', 'weights.bin'), new Uint8Array(10));
    expect(() => importKeras(file, { out: join(root, 'specs', 'short.yaml') })).toThrow(/GC822: .*model\.json: not a usable tfjs-layers \/ Keras model: its weight files hold 10 bytes, fewer than the manifest's weights need/);
    model.dispose();
  });
});

describe('round trip: graphc → tfjs-layers → graphc import', () => {
  // Every graph the layers export takes (transformer.yaml is refused there, GC758: tfjs-layers has no attention layer).
  for (const [name, file, set, width] of [
    ['gru', 'graphs/gru.yaml', ['hidden_size=5', 'layer_num=2'], 784],
    ['bigru', 'graphs/bigru.yaml', ['hidden_size=4', 'layer_num=1'], 784],
    ['lstm', 'graphs/lstm.yaml', ['hidden_size=4', 'layer_num=2'], 784],
    ['cnn', 'graphs/cnn.yaml', ['conv1_features=2', 'conv2_features=3', 'fc_units=8'], 784],
    ['iris', 'graphs/iris.yaml', [], 4],
  ] as const) {
    it(`${name}: the imported spec predicts what the original graph does`, async () => {
      const original = await randomModel(file, set);
      try {
        const target = findOutputNode(original.graph);
        const { model } = toLayersModel(original.graph, target, original.weights);
        const imported = importKeras(await save(model, `${name}_layers`), { out: join(root, 'specs', `${name}_back.yaml`) });
        const module = await compileModule(imported.specPath);
        const features = randomFeatures(3, width);
        const worst = maxDifference(await runImported(module, imported, [...features], 3), original.predict(features, 3, target.node.name));
        differences[`${name} round trip`] = worst;
        expect(worst).toBeLessThan(2e-5);
        model.dispose();
      } finally {
        original.dispose();
      }
    });
  }
});
