import { normaliseAxis } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCallAs } from './shared/emit.js';

export const gather: OpDefinition = {
  name: 'gather',
  summary: 'picks slices along an axis by int32 indices of any rank, which replace that axis: x[:, ids] (tf.gather)',
  inputs: { min: 2, max: 2, description: 'the tensor to index, then the int32 indices (any shape)' },
  attributes: (b) => ({ axis: b.axis({ description: 'the axis the indices select along; negative counts from the last', default: 0, examples: [0, 1] }) }),
  infer: (ctx) => {
    const [x, indices] = ctx.inputs;
    if (!x || !indices) return undefined;
    if (indices.type.dtype !== 'int32') {
      return ctx.error('GC501', { op: 'gather', kind: 'wrong_dtype', role: 'indices', expected: ['int32'], input: indices.name, actual: indices.type.dtype, castFirst: true }, 'inputs/1');
    }
    const rank = x.type.shape.length;
    const axisAttr = (ctx.attrs['axis'] as number | undefined) ?? 0;
    const axis = normaliseAxis(axisAttr, rank);
    if (axis === undefined) return ctx.error('GC505', { op: 'gather', axis: axisAttr, rank }, 'axis');
    return { dtype: x.type.dtype, shape: [...x.type.shape.slice(0, axis), ...indices.type.shape, ...x.type.shape.slice(axis + 1)] };
  },
  lower: (ctx) => {
    const axis = normaliseAxis((ctx.attrs['axis'] as number | undefined) ?? 0, ctx.inputTypes[0]!.shape.length)!;
    const args = [ctx.inputs[0]!, ctx.inputs[1]!, String(axis)];
    // tf.gather keeps its input's static type, right only when the indices are a vector.
    return ctx.inputTypes[1]!.shape.length === 1 ? `tf.gather(${args.join(', ')})` : tfCallAs('gather<tf.Tensor>', ctx.type, args);
  },
};
