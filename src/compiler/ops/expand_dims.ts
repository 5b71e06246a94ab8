import { normaliseAxis } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';

export const expandDims: OpDefinition = {
  name: 'expand_dims',
  summary: 'inserts a dimension of size 1 at an axis (tf.expand_dims)',
  inputs: { min: 1, max: 1, description: 'the tensor to expand' },
  attributes: (b) => ({
    axis: b.integer({ description: "the new dimension's position in the output: 0 to rank; negative counts from the end (-1: last)", minimum: -7, maximum: 6, examples: [1, -1] }),
  }),
  requiredAttributes: ['axis'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const rank = x.type.shape.length;
    const axis = normaliseAxis(ctx.attrs['axis'] as number, rank + 1);
    if (axis === undefined) return ctx.error('GC505', { op: 'expand_dims', axis: ctx.attrs['axis'] as number, rank }, 'axis');
    const shape = [...x.type.shape];
    shape.splice(axis, 0, 1);
    return { dtype: x.type.dtype, shape };
  },
  lower: (ctx) => tfCall('expandDims', ctx.type, [ctx.inputs[0]!, String(normaliseAxis(ctx.attrs['axis'] as number, ctx.type.shape.length)!)]),
};
