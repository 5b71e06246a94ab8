/**
 * lstm.yaml and gru.yaml as a tfjs user writes them: stacked tf.layers.lstm /
 * tf.layers.gru (resetAfter: false, TF1 GRUCell's form, is the only one
 * tfjs-layers has), each followed by
 * dropout as DropoutWrapper(output_keep_prob) is; the last layer returns only
 * its last step (outputs[:, -1, :]), and a softmax dense layer classifies it.
 */
import { tf } from '../../../runtime/tf.js';
import type { BaselineDefinition } from './definition.js';
import { ParamReader, SEED_DROPOUT_RATE, type SpecParams } from './params.js';

function stackedRnn(kind: 'lstm' | 'gru'): BaselineDefinition {
  return {
    describe: (params) => `tf.layers.${kind} × ${params['layer_num']}`,
    build: (params: SpecParams) => {
      const read = new ParamReader(kind, params);
      const [steps, inputSize, units, layers, classes] = ['timestep_size', 'input_size', 'hidden_size', 'layer_num', 'class_num'].map((p) => read.size(p)) as [number, number, number, number, number];
      const model = tf.sequential();
      model.add(tf.layers.reshape({ targetShape: [steps, inputSize], inputShape: [steps * inputSize] }));
      for (let i = 0; i < layers; i++) {
        const returnSequences = i < layers - 1;
        // unitForgetBias starts the forget gate at 1, as BasicLSTMCell's forget_bias 1.0 does.
        model.add(kind === 'lstm' ? tf.layers.lstm({ units, returnSequences, unitForgetBias: true }) : tf.layers.gru({ units, returnSequences }));
        model.add(tf.layers.dropout({ rate: SEED_DROPOUT_RATE }));
      }
      model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
      return model;
    },
  };
}

export const lstmBaseline = stackedRnn('lstm');
export const gruBaseline = stackedRnn('gru');
