/**
 * Export to tfjs-layers of the layers beyond the Bi-GRU and dense models
 * (test/cli/trained.test.ts): stacked GRU and LSTM (dynamic_rnn, the last
 * step taken), the CNN, and embedding, conv1d and layer_norm, each with
 * seeded random weights, predicting what graphc computes.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { compileSpec } from '../../src/compiler/index.js';
import { initBackend } from '../../src/runtime/backends.js';
import { tf } from '../../src/runtime/tf.js';
import { toLayersModel } from '../../src/tools/export/layers.js';
import { findOutputNode } from '../../src/tools/export/output-node.js';
import { maxDifference, randomFeatures, randomModel } from '../interop/export-models.js';

const root = mkdtempSync(join(tmpdir(), 'graphc-layers-export-'));
// The token data of graphs/text.yaml, by absolute path: the specs are written outside the repository.
const ORDER = resolve('data/order');

beforeAll(async () => {
  await initBackend('cpu');
});

/** Token ids as features: an embedding, conv1d over the sequence, layer_norm, a global pool and a softmax. */
const TOKENS = `name: tokens
placeholders:
  ids: {dtype: int32, shape: [null, 40]}
  label_id: {dtype: int32, shape: [null]}
nodes:
  embedded: {op: embedding, inputs: [ids], vocab_size: 16, units: 4}
  filter: {op: variable, shape: [3, 4, 5]}
  conv: {op: conv1d, inputs: [embedded, filter], stride: 2, padding: SAME}
  conv_bias: {op: variable, shape: [5]}
  biased: {op: add, inputs: [conv, conv_bias]}
  activated: {op: relu, inputs: [biased]}
  normed: {op: layer_norm, inputs: [activated], epsilon: 0.001}
  pooled: {op: global_average_pool, inputs: [normed]}
  probabilities: {op: dense, inputs: [pooled], units: 2, activation: softmax}
  loss: {op: sparse_softmax_cross_entropy, inputs: [label_id, probabilities]}
train:
  loss: loss
  optimizer: {type: sgd, learning_rate: 0.1}
  dataset:
    format: npy
    feature_dtype: int32
    train: {features: ${ORDER}/train-ids.npy, labels: ${ORDER}/train-labels.npy}
    test: {features: ${ORDER}/test-ids.npy, labels: ${ORDER}/test-labels.npy}
    label: {classes: 2}
  steps: 1
  batch_size: 4
  feeds:
    train: {ids: batch.features, label_id: batch.label_ids}
    eval: {ids: batch.features, label_id: batch.label_ids}
  eval: {every: 1, batches: 1}
  metrics: {cost: loss}
`;

describe('tfjs-layers export of more layers', () => {
  const cases: { name: string; file: () => string; set: string[]; width?: number; ids?: boolean }[] = [
    { name: 'stacked GRU, last step (graphs/gru.yaml)', file: () => 'graphs/gru.yaml', set: ['hidden_size=5', 'layer_num=2'] },
    { name: 'stacked LSTM, last step (graphs/lstm.yaml)', file: () => 'graphs/lstm.yaml', set: ['hidden_size=5', 'layer_num=2'] },
    { name: 'CNN: Conv2D with bias and ReLU, MaxPooling2D, Dense (graphs/cnn.yaml)', file: () => 'graphs/cnn.yaml', set: ['conv1_features=2', 'conv2_features=3', 'fc_units=8'] },
    {
      name: 'Embedding, Conv1D, LayerNormalization, GlobalAveragePooling1D',
      file: () => {
        const file = join(root, 'tokens.yaml');
        writeFileSync(file, TOKENS);
        return file;
      },
      set: [],
      width: 40,
      ids: true,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const model = await randomModel(c.file(), c.set);
      try {
        const target = findOutputNode(model.graph);
        const { model: layers } = toLayersModel(model.graph, target, model.weights);
        const count = 3;
        const width = c.width ?? 784;
        const features = c.ids ? Int32Array.from(randomFeatures(count, width), (v) => Math.floor(v * 16)) : randomFeatures(count, width);
        const expected = model.predict(features, count, target.node.name);
        const actual = tf.tidy(() => (layers.predict(tf.tensor2d(features, [count, width], c.ids ? 'int32' : 'float32')) as tf.Tensor).dataSync() as Float32Array);
        expect(maxDifference(actual, expected)).toBeLessThan(2e-5);
        layers.dispose();
      } finally {
        model.dispose();
      }
    });
  }

  it("GC758: a reset_after GRU is refused, saying that tfjs-layers' GRU cannot compute it and what can", () => {
    const file = join(root, 'gru_reset_after.yaml');
    writeFileSync(file, TOKENS.replace(/ {2}filter:[\s\S]*?pooled: .*\n/, '  recurrent: {op: dynamic_rnn, inputs: [embedded], layers: 1, cell: {type: gru, units: 3, reset_after: true}, return_sequences: false}\n').replace('inputs: [pooled]', 'inputs: [recurrent]'));
    const compiled = compileSpec(file, { checkOnly: true });
    expect(compiled.diagnostics.map((d) => d.message)).toEqual([]);
    const graph = compiled.graph!;
    let message = '';
    try {
      toLayersModel(graph, findOutputNode(graph), new Map([['embedded/embeddings', { shape: [3, 4], values: new Float32Array(12) }]]));
    } catch (error) {
      message = error instanceof GraphcError ? error.diagnostics[0]!.message : String(error);
    }
    expect(message).toBe("cannot export to tfjs-layers: node 'recurrent' (dynamic_rnn) is a reset_after GRU, which tfjs-layers' GRU cannot compute (it refuses reset_after); export it with --format onnx");
  });
});
