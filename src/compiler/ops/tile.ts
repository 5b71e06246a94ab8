import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';

export const tile: OpDefinition = {
  name: 'tile',
  summary: 'repeats a tensor multiples[i] times along each dimension i (tf.tile)',
  inputs: { min: 1, max: 1, description: 'the tensor to repeat' },
  attributes: (b) => ({
    multiples: {
      type: 'array',
      items: b.integer({ description: 'copies along this dimension', minimum: 1 }),
      maxItems: 6,
      description: 'how many copies along each dimension, one entry per dimension',
      examples: [[1, 3]],
    },
  }),
  requiredAttributes: ['multiples'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const multiples = ctx.attrs['multiples'] as number[];
    const rank = x.type.shape.length;
    if (multiples.length !== rank) return ctx.error('GC503', { op: 'tile', input: x.name, rank, expected: `${multiples.length}, the length of multiples` }, 'multiples');
    return { dtype: x.type.dtype, shape: x.type.shape.map((d, i) => (d === null ? null : d * multiples[i]!)) };
  },
  lower: (ctx) => tfCall('tile', ctx.type, [ctx.inputs[0]!, literal(ctx.attrs['multiples'])]),
};
