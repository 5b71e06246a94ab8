import { unaryFloatOp } from './shared/elementwise.js';
import { nnCall } from './shared/emit.js';

export const abs = unaryFloatOp('abs', 'abs', '|x|, elementwise; its gradient is sign(x), 0 at 0 (tf.abs)', {
  example: { op: 'abs', inputs: ['error'] },
  // nn.abs: tfjs's own gradient of |x| at 0 is −1, TF's and PyTorch's 0.
  lower: (ctx) => nnCall('abs', ctx.type, ctx.inputs),
  runtime: ['nn'],
});
