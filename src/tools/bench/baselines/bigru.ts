/**
 * bigru.yaml as a tfjs user writes it: stacked
 * tf.layers.bidirectional(tf.layers.gru({returnSequences: true})) with dropout
 * after each, the mean over time (globalAveragePooling1d) and a softmax dense
 * layer. tfjs-layers' GRU is the resetAfter: false form (the only one it
 * supports), which is TF1 GRUCell's.
 */
import { tf } from '../../../runtime/tf.js';
import type { BaselineDefinition } from './definition.js';
import { ParamReader, SEED_DROPOUT_RATE, type SpecParams } from './params.js';

export const bigruBaseline: BaselineDefinition = {
  describe: (params) => `tf.layers.bidirectional(gru) × ${params['layer_num']}`,
  build: (params: SpecParams) => {
    const read = new ParamReader('bigru', params);
    const [steps, inputSize, units, layers, classes] = ['timestep_size', 'input_size', 'hidden_size', 'layer_num', 'class_num'].map((p) => read.size(p)) as [number, number, number, number, number];
    const model = tf.sequential();
    model.add(tf.layers.reshape({ targetShape: [steps, inputSize], inputShape: [steps * inputSize] }));
    for (let i = 0; i < layers; i++) {
      model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units, returnSequences: true }), mergeMode: 'concat' }));
      model.add(tf.layers.dropout({ rate: SEED_DROPOUT_RATE }));
    }
    model.add(tf.layers.globalAveragePooling1d());
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    return model;
  },
};
