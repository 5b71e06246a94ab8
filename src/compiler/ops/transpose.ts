import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';

export const transpose: OpDefinition = {
  name: 'transpose',
  summary: 'permutes the dimensions: output dimension i is input dimension perm[i] (tf.transpose)',
  inputs: { min: 1, max: 1, description: 'the tensor to transpose' },
  attributes: (b) => ({
    perm: {
      type: 'array',
      items: b.integer({ description: 'an input dimension', minimum: 0, maximum: 5 }),
      maxItems: 6,
      description: 'the input dimension each output dimension takes, a permutation of 0 to rank − 1; default: reversed (a matrix transpose)',
      examples: [[1, 0, 2]],
    },
  }),
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const rank = x.type.shape.length;
    const perm = (ctx.attrs['perm'] as number[] | undefined) ?? x.type.shape.map((_, i) => rank - 1 - i);
    const isPermutation = perm.length === rank && new Set(perm).size === rank && perm.every((p) => p < rank);
    if (!isPermutation) return ctx.error('GC532', { op: 'transpose', perm, rank }, 'perm');
    return { dtype: x.type.dtype, shape: perm.map((p) => x.type.shape[p]!) };
  },
  lower: (ctx) => tfCall('transpose', ctx.type, [ctx.inputs[0]!, ...(ctx.attrs['perm'] !== undefined ? [literal(ctx.attrs['perm'])] : [])]),
};
