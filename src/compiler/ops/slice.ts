import type { Dim } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { literal } from '../types/typescript.js';

export const slice: OpDefinition = {
  name: 'slice',
  summary: 'a contiguous block: size[i] positions from begin[i] in every dimension, -1 for the rest (tf.slice)',
  inputs: { min: 1, max: 1, description: 'the tensor to slice' },
  attributes: (b) => ({
    begin: { type: 'array', items: b.integer({ description: 'the first position', minimum: 0 }), maxItems: 6, description: 'the first position in each dimension', examples: [[0, 2]] },
    size: {
      type: 'array',
      items: b.integer({ description: 'how many positions; -1: to the end', minimum: -1 }),
      maxItems: 6,
      description: 'how many positions to take in each dimension; -1 takes the rest (the batch: -1)',
      examples: [[-1, 3]],
    },
  }),
  requiredAttributes: ['begin', 'size'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const rank = x.type.shape.length;
    const begin = ctx.attrs['begin'] as number[];
    const size = ctx.attrs['size'] as number[];
    for (const [attribute, list] of [['begin', begin], ['size', size]] as const) {
      if (list.length !== rank) return ctx.error('GC503', { op: 'slice', input: x.name, rank, expected: `${list.length}, the length of ${attribute}` }, attribute);
    }
    const shape: Dim[] = [];
    for (let d = 0; d < rank; d++) {
      const dim = x.type.shape[d]!;
      const [b, s] = [begin[d]!, size[d]!];
      if (s === 0) return ctx.error('GC508', { value: 0, what: `size[${d}] (or -1 for the rest)` }, `size/${d}`);
      const end = s === -1 ? b + 1 : b + s;
      if (dim !== null && end > dim) return ctx.error('GC533', { op: 'slice', dim: d, size: dim, begin: b, end }, b >= dim ? `begin/${d}` : `size/${d}`);
      shape.push(s !== -1 ? s : dim === null ? null : dim - b);
    }
    return { dtype: x.type.dtype, shape };
  },
  lower: (ctx) => `tf.slice(${ctx.inputs[0]}, ${literal(ctx.attrs['begin'])}, ${literal(ctx.attrs['size'])})`,
};
