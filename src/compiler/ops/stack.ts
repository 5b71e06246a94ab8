import { normaliseAxis } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCallAs } from './shared/emit.js';

export const stack: OpDefinition = {
  name: 'stack',
  summary: 'joins tensors of one shape along a new axis (tf.stack)',
  inputs: { min: 1, max: Infinity, description: 'the tensors to stack, all of one dtype and shape, in order' },
  attributes: (b) => ({ axis: b.integer({ description: "the new axis's position in the output: 0 to rank; negative counts from the end", minimum: -7, maximum: 6, default: 0, examples: [1] }) }),
  infer: (ctx) => {
    const [first] = ctx.inputs;
    if (!first) return undefined;
    for (const [i, x] of ctx.inputs.entries()) {
      if (x.type.dtype !== first.type.dtype) {
        return ctx.error('GC501', { op: 'stack', kind: 'mixed', input: first.name, dtype: first.type.dtype, other: x.name, otherDtype: x.type.dtype }, `inputs/${i}`);
      }
      const a = first.type.shape;
      const b = x.type.shape;
      if (a.length !== b.length || a.some((d, k) => d !== null && b[k] !== null && d !== b[k])) {
        return ctx.error('GC534', { op: 'stack', input: x.name, type: x.type, other: first.name, otherType: first.type }, `inputs/${i}`);
      }
    }
    const rank = first.type.shape.length;
    const axisAttr = (ctx.attrs['axis'] as number | undefined) ?? 0;
    const axis = normaliseAxis(axisAttr, rank + 1);
    if (axis === undefined) return ctx.error('GC505', { op: 'stack', axis: axisAttr, rank }, 'axis');
    const shape = first.type.shape.map((d, k) => d ?? ctx.inputs.map((x) => x.type.shape[k]!).find((e) => e !== null) ?? null);
    shape.splice(axis, 0, ctx.inputs.length);
    return { dtype: first.type.dtype, shape };
  },
  lower: (ctx) => tfCallAs('stack', ctx.type, [`[${ctx.inputs.join(', ')}]`, String(normaliseAxis((ctx.attrs['axis'] as number | undefined) ?? 0, ctx.type.shape.length)!)]),
};
