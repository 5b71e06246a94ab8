import type { OpDefinition } from './op.js';
import { literal } from '../types/typescript.js';
import { cellWeightsType, checkRnnInput, rnnActivations, rnnParameters, lowerRnn, rnnAttributeReferences, rnnAttributes, rnnWeightsConfig, sequenceOutput, RNN_INPUTS, type RnnAttrs } from './shared/rnn.js';

export const dynamicRnn: OpDefinition = {
  name: 'dynamic_rnn',
  summary:
    'stacked unidirectional RNN (tf.nn.dynamic_rnn over tf.contrib.rnn.MultiRNNCell): each layer runs one cell forward in time and its outputs feed the next layer; gives every step\'s output of the last layer',
  inputs: RNN_INPUTS,
  attributes: (b) => rnnAttributes(b, { layers: 'number of stacked layers (cells in the MultiRNNCell)', units: 'hidden units per layer' }),
  requiredAttributes: ['layers', 'cell'],
  attributeReferences: rnnAttributeReferences,
  infer: (ctx) => {
    const x = checkRnnInput(ctx, 'dynamic_rnn');
    return x && sequenceOutput(x, ctx.attrs, (ctx.attrs as unknown as RnnAttrs).cell.units);
  },
  variables: (ctx) => ({
    tsType: `${cellWeightsType(ctx.attrs)}[]`,
    create: `rnn.createMultiRnnWeights(init, ${literal(ctx.node)}, ${rnnWeightsConfig(ctx.attrs, ctx.inputTypes)})`,
    parameters: rnnParameters(ctx, 1),
  }),
  activationsPerExample: (ctx) => rnnActivations(ctx, 1),
  lower: (ctx) => lowerRnn('multiRnn', ctx),
  runtime: ['rnn'],
};
