import { normaliseAxis, type Dim } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';

export const concat: OpDefinition = {
  name: 'concat',
  summary: 'joins tensors along an axis; the other dimensions must agree (tf.concat)',
  inputs: { min: 2, max: Infinity, description: 'the tensors to join, in order' },
  attributes: (b) => ({ axis: b.axis({ description: 'the axis to join along', examples: [1, -1] }) }),
  requiredAttributes: ['axis'],
  infer: (ctx) => {
    const [first] = ctx.inputs;
    if (!first) return undefined;
    const rank = first.type.shape.length;
    const axis = normaliseAxis(ctx.attrs['axis'] as number, rank);
    if (axis === undefined) return ctx.error('GC505', { op: 'concat', axis: ctx.attrs['axis'] as number, rank }, 'axis');
    const shape: Dim[] = [...first.type.shape];
    for (const [i, x] of ctx.inputs.entries()) {
      if (i === 0) continue;
      if (x.type.dtype !== first.type.dtype) {
        return ctx.error('GC501', { op: 'concat', kind: 'mixed', input: first.name, dtype: first.type.dtype, other: x.name, otherDtype: x.type.dtype }, `inputs/${i}`);
      }
      if (x.type.shape.length !== rank) {
        return ctx.error('GC503', { op: 'concat', input: x.name, rank: x.type.shape.length, expected: `${rank}, the rank of '${first.name}'` }, `inputs/${i}`);
      }
      for (let d = 0; d < rank; d++) {
        const a = shape[d] ?? null;
        const b = x.type.shape[d] ?? null;
        if (d === axis) {
          shape[d] = a === null || b === null ? null : a + b;
        } else if (a !== null && b !== null && a !== b) {
          return ctx.error('GC507', { op: 'concat', kind: 'concat_dim', input: x.name, size: b, dim: d, other: first.name, otherSize: a, axis }, `inputs/${i}`);
        }
      }
    }
    return { dtype: first.type.dtype, shape };
  },
  lower: (ctx) => tfCall('concat', ctx.type, [`[${ctx.inputs.join(', ')}]`, literal(ctx.attrs['axis'])]),
};
