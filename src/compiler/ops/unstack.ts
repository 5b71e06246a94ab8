import { normaliseAxis } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tsTupleType } from '../types/typescript.js';

export const unstack: OpDefinition = {
  name: 'unstack',
  summary: 'splits a tensor along an axis into its slices, that axis dropped; output i is name:i (tf.unstack)',
  inputs: { min: 1, max: 1, description: 'the tensor to unstack; the axis must have a known size' },
  attributes: (b) => ({ axis: b.axis({ description: 'the axis to unstack along; negative counts from the last', default: 0, examples: [1] }) }),
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const rank = x.type.shape.length;
    const axisAttr = (ctx.attrs['axis'] as number | undefined) ?? 0;
    const axis = normaliseAxis(axisAttr, rank);
    if (axis === undefined) return ctx.error('GC505', { op: 'unstack', axis: axisAttr, rank }, 'axis');
    const count = x.type.shape[axis]!;
    if (count === null) return ctx.error('GC536', { op: 'unstack', input: x.name, axis }, 'axis');
    const slice = { dtype: x.type.dtype, shape: x.type.shape.filter((_, i) => i !== axis) };
    return { outputs: Array.from({ length: count }, () => slice) };
  },
  lower: (ctx) => {
    const axis = normaliseAxis((ctx.attrs['axis'] as number | undefined) ?? 0, ctx.inputTypes[0]!.shape.length)!;
    return `tf.unstack(${ctx.inputs[0]}, ${axis}) as ${tsTupleType(ctx.outputs!.map((t) => t.shape.length))}`;
  },
};
