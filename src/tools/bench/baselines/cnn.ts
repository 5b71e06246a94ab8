/**
 * cnn.yaml (the TF MNIST tutorial CNN) as a tfjs user writes it: two
 * tf.layers.conv2d (5×5, same, relu) + maxPooling2d (2×2) blocks, flatten,
 * a relu dense layer, dropout and a softmax dense layer.
 */
import { tf } from '../../../runtime/tf.js';
import type { BaselineDefinition } from './definition.js';
import { ParamReader, SEED_DROPOUT_RATE, type SpecParams } from './params.js';

export const cnnBaseline: BaselineDefinition = {
  describe: () => 'tf.layers.conv2d × 2 + dense',
  build: (params: SpecParams) => {
    const read = new ParamReader('cnn', params);
    const [conv1, conv2, fc, classes] = ['conv1_features', 'conv2_features', 'fc_units', 'class_num'].map((p) => read.size(p)) as [number, number, number, number];
    const model = tf.sequential();
    model.add(tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }));
    for (const filters of [conv1, conv2]) {
      model.add(tf.layers.conv2d({ filters, kernelSize: 5, padding: 'same', activation: 'relu' }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same' }));
    }
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: fc, activation: 'relu' }));
    model.add(tf.layers.dropout({ rate: SEED_DROPOUT_RATE }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    return model;
  },
};
