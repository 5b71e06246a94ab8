import type { OpDefinition } from './op.js';
import { literal } from '../types/typescript.js';
import { cellWeightsType, checkRnnInput, rnnActivations, rnnParameters, lowerRnn, rnnAttributeReferences, rnnAttributes, rnnWeightsConfig, sequenceOutput, RNN_INPUTS, type RnnAttrs } from './shared/rnn.js';

export const stackBidirectionalRnn: OpDefinition = {
  name: 'stack_bidirectional_rnn',
  summary:
    "stacked bidirectional RNN (tf.contrib.rnn.stack_bidirectional_dynamic_rnn): each layer runs a forward and a backward cell and concatenates their outputs, which feed the next layer",
  inputs: RNN_INPUTS,
  attributes: (b) => rnnAttributes(b, { layers: 'number of stacked bidirectional layers', units: 'hidden units per direction' }),
  requiredAttributes: ['layers', 'cell'],
  attributeReferences: rnnAttributeReferences,
  infer: (ctx) => {
    const x = checkRnnInput(ctx, 'stack_bidirectional_rnn');
    return x && sequenceOutput(x, ctx.attrs, 2 * (ctx.attrs as unknown as RnnAttrs).cell.units);
  },
  variables: (ctx) => ({
    // BidirectionalLayer's weights default to GRU's.
    tsType: cellWeightsType(ctx.attrs) === 'rnn.GruWeights' ? 'rnn.BidirectionalLayer[]' : `rnn.BidirectionalLayer<${cellWeightsType(ctx.attrs)}>[]`,
    create: `rnn.createStackBidirectionalWeights(init, ${literal(ctx.node)}, ${rnnWeightsConfig(ctx.attrs, ctx.inputTypes)})`,
    parameters: rnnParameters(ctx, 2),
  }),
  activationsPerExample: (ctx) => rnnActivations(ctx, 2),
  lower: (ctx) => lowerRnn('stackBidirectionalDynamicRnn', ctx),
  runtime: ['rnn'],
};
