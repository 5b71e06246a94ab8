import { normaliseAxis } from '../types/tensor.js';
import { tsTensorType } from '../types/typescript.js';
import type { OpDefinition } from './op.js';

export const take: OpDefinition = {
  name: 'take',
  summary: "one position along an axis, dropping that axis: outputs[:, -1, :] is {axis: 1, index: -1} (tf.gather with a scalar index)",
  inputs: { min: 1, max: 1, description: 'the tensor to index' },
  attributes: (b) => ({
    axis: b.axis({ description: 'the axis to index; negative counts from the last', examples: [1] }),
    index: b.integer({ description: 'the position along the axis; negative counts from the end (-1: the last time step)', examples: [-1] }),
  }),
  requiredAttributes: ['axis', 'index'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const rank = x.type.shape.length;
    const axis = normaliseAxis(ctx.attrs['axis'] as number, rank);
    if (axis === undefined) return ctx.error('GC505', { op: 'take', axis: ctx.attrs['axis'] as number, rank }, 'axis');
    const index = ctx.attrs['index'] as number;
    const size = x.type.shape[axis];
    // An unknown (batch) size is checked at run time.
    if (size !== null && size !== undefined && (index >= size || index < -size)) return ctx.error('GC511', { op: 'take', index, axis, size }, 'index');
    return { dtype: x.type.dtype, shape: x.type.shape.filter((_, i) => i !== axis) };
  },
  lower: (ctx) => {
    const axis = normaliseAxis(ctx.attrs['axis'] as number, ctx.inputTypes[0]!.shape.length)!;
    return `nn.take<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${axis}, ${ctx.attrs['index'] as number})`;
  },
  runtime: ['nn'],
};
