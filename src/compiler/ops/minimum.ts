import { binaryOp } from './shared/elementwise.js';
import { nnCall } from './shared/emit.js';

export const minimum = binaryOp('minimum', 'minimum', 'the smaller of a and b, elementwise with broadcasting (tf.minimum)', {
  // nn.minimum broadcasts first: tfjs's own gradient fails on broadcast inputs.
  lower: (ctx) => nnCall('minimum', ctx.type, ctx.inputs),
  runtime: ['nn'],
  example: { op: 'minimum', inputs: ['x', 'ceiling'] },
});
