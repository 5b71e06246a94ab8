/**
 * Export of batch_norm to tfjs-layers: a BatchNormalization layer whose
 * weights are gamma, beta and the moving statistics, predicting what the
 * graph computes in the eval phase.
 */
import { describe, expect, it } from 'vitest';
import { compileSpecText } from '../../src/compiler/index.js';
import { findOutputNode } from '../../src/tools/export/output-node.js';
import { toLayersModel, type Weight } from '../../src/tools/export/layers.js';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { tf } from '../../src/runtime/tf.js';

const spec = (training: string, evalFeed: string) => `
name: bn_mlp
placeholders:
  x: {dtype: float32, shape: [null, 784]}
  y: {dtype: float32, shape: [null, 10]}
  is_training: {dtype: bool, shape: []}
nodes:
  hidden: {op: dense, inputs: [x], units: 6}
  normed: {op: batch_norm, inputs: [hidden]${training}}
  logits: {op: dense, inputs: [normed], units: 10}
  probabilities: {op: softmax, inputs: [logits]}
  log_p: {op: log, inputs: [probabilities]}
  y_log_p: {op: mul, inputs: [y, log_p]}
  total: {op: reduce_sum, inputs: [y_log_p]}
  loss: {op: neg, inputs: [total]}
train:
  loss: loss
  optimizer: {type: sgd, learning_rate: 0.1}
  dataset: mnist
  steps: 1
  batch_size: 4
  feeds:
    train: {x: batch.images, y: batch.labels, is_training: true}
    eval: {x: batch.images, y: batch.labels, is_training: ${evalFeed}}
  eval: {every: 1, batches: 1}
  metrics: {cost: loss}
`;

const random = (shape: number[], lo: number, hi: number, seed: number): Weight => ({ shape, values: tf.tidy(() => tf.randomUniform(shape, lo, hi, 'float32', seed).dataSync() as Float32Array) });

const weights = new Map<string, Weight>([
  ['hidden/kernel', random([784, 6], -0.1, 0.1, 1)],
  ['hidden/bias', random([6], -0.1, 0.1, 2)],
  ['normed/gamma', random([6], 0.5, 1.5, 3)],
  ['normed/beta', random([6], -0.5, 0.5, 4)],
  ['normed/moving_mean', random([6], -0.3, 0.3, 5)],
  ['normed/moving_variance', random([6], 0.5, 2, 6)],
  ['logits/kernel', random([6, 10], -1, 1, 7)],
  ['logits/bias', random([10], -0.1, 0.1, 8)],
]);

describe('export of batch_norm to tfjs-layers', () => {
  it('becomes BatchNormalization with gamma, beta, moving_mean and moving_variance, and predicts the eval-phase graph', () => {
    const graph = compileSpecText(spec(', training: is_training', 'false'), 'bn.yaml', { checkOnly: true }).graph!;
    const { model } = toLayersModel(graph, findOutputNode(graph, 'probabilities'), weights);
    expect(model.getLayer('normed').getClassName()).toBe('BatchNormalization');
    tf.tidy(() => {
      const x = tf.randomUniform([5, 784], 0, 1, 'float32', 9) as tf.Tensor2D;
      const t = (name: string) => tf.tensor(weights.get(name)!.values, [...weights.get(name)!.shape]);
      const hidden = tf.add(tf.matMul(x, t('hidden/kernel') as tf.Tensor2D), t('hidden/bias'));
      const normed = tf.add(tf.mul(tf.div(tf.sub(hidden, t('normed/moving_mean')), tf.sqrt(tf.add(t('normed/moving_variance'), 1e-3))), t('normed/gamma')), t('normed/beta'));
      const expected = tf.softmax(tf.add(tf.matMul(normed as tf.Tensor2D, t('logits/kernel') as tf.Tensor2D), t('logits/bias')));
      const actual = model.predict(x) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]).toBeLessThan(1e-5);
    });
    model.dispose();
  });

  it('GC758: a training flag not fed false at evaluation is refused', () => {
    const graph = compileSpecText(spec(', training: is_training', 'true'), 'bn.yaml', { checkOnly: true }).graph!;
    let message = '';
    try {
      toLayersModel(graph, findOutputNode(graph, 'probabilities'), weights);
    } catch (error) {
      message = error instanceof GraphcError ? error.diagnostics[0]!.message : String(error);
    }
    expect(message).toMatch(/node 'normed' \(batch_norm\) normalises with the batch statistics at evaluation \('is_training'/);
  });
});
