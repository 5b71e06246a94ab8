import { binaryOp } from './shared/elementwise.js';
import { nnCall } from './shared/emit.js';

export const maximum = binaryOp('maximum', 'maximum', 'the larger of a and b, elementwise with broadcasting (tf.maximum)', {
  // nn.maximum broadcasts first: tfjs's own gradient fails on broadcast inputs.
  lower: (ctx) => nnCall('maximum', ctx.type, ctx.inputs),
  runtime: ['nn'],
  example: { op: 'maximum', inputs: ['x', 'floor'] },
});
