/**
 * convnet.yaml (Keras's MNIST convnet with batch norm) as a tfjs user writes
 * it: two tf.layers.conv2d (3×3, valid, no bias) each followed by
 * batchNormalization (the spec's momentum 0.9, Keras's convention, and
 * epsilon 1e-3), ReLU and maxPooling2d (2×2); flatten, dropout 0.5 and a
 * softmax dense layer.
 */
import { tf } from '../../../runtime/tf.js';
import type { BaselineDefinition } from './definition.js';
import { ParamReader, type SpecParams } from './params.js';

export const convnetBaseline: BaselineDefinition = {
  describe: () => 'tf.layers.conv2d + batchNormalization × 2 + dense',
  build: (params: SpecParams) => {
    const read = new ParamReader('convnet', params);
    const [conv1, conv2, classes] = ['conv1_filters', 'conv2_filters', 'class_num'].map((p) => read.size(p)) as [number, number, number];
    const model = tf.sequential();
    model.add(tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }));
    for (const filters of [conv1, conv2]) {
      model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'valid', useBias: false }));
      model.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 }));
      model.add(tf.layers.activation({ activation: 'relu' }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid' }));
    }
    model.add(tf.layers.flatten());
    model.add(tf.layers.dropout({ rate: 0.5 }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    return model;
  },
};
