import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';

export const PAD_MODES = ['constant', 'reflect', 'symmetric'] as const;

export const pad: OpDefinition = {
  name: 'pad',
  summary: 'pads each dimension before and after: with a constant, or mirrored as reflect or symmetric (tf.pad)',
  inputs: { min: 1, max: 1, description: 'the tensor to pad' },
  attributes: (b) => ({
    paddings: {
      type: 'array',
      items: {
        type: 'array',
        items: b.integer({ description: 'positions added', minimum: 0 }),
        minItems: 2,
        maxItems: 2,
        description: '[before, after] for one dimension',
      },
      maxItems: 6,
      description: 'one [before, after] pair per dimension',
      examples: [[[0, 0], [1, 1], [1, 1], [0, 0]]],
    },
    mode: b.enumOf(PAD_MODES, {
      description: 'constant: constant_values; reflect: mirrored without the edge ([1 2 3] → 3 2 [1 2 3] 2 1, at most size − 1 each side); symmetric: mirrored with the edge (2 1 [1 2 3] 3 2, at most size) (tf.mirrorPad)',
      default: 'constant',
    }),
    constant_values: b.number({ description: 'the value padded positions take in constant mode', default: 0 }),
  }),
  requiredAttributes: ['paddings'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const paddings = ctx.attrs['paddings'] as [number, number][];
    const rank = x.type.shape.length;
    if (paddings.length !== rank) return ctx.error('GC503', { op: 'pad', input: x.name, rank, expected: `${paddings.length}, the number of [before, after] pairs in paddings` }, 'paddings');
    const mode = (ctx.attrs['mode'] as (typeof PAD_MODES)[number] | undefined) ?? 'constant';
    if (mode !== 'constant') {
      for (const [dim, [before, after]] of paddings.entries()) {
        const size = x.type.shape[dim]!;
        const limit = size === null ? undefined : mode === 'reflect' ? size - 1 : size;
        if (limit !== undefined && (before > limit || after > limit)) return ctx.error('GC537', { op: 'pad', mode, dim, size: size!, before, after }, `paddings/${dim}`);
      }
    }
    return { dtype: x.type.dtype, shape: x.type.shape.map((d, i) => (d === null ? null : d + paddings[i]![0] + paddings[i]![1])) };
  },
  lower: (ctx) => {
    const mode = (ctx.attrs['mode'] as string | undefined) ?? 'constant';
    const paddings = literal(ctx.attrs['paddings']);
    // nn.mirrorPad: tf.mirrorPad's values, with the gradient tfjs's own lacks.
    if (mode !== 'constant') return `nn.mirrorPad(${ctx.inputs[0]}, ${paddings}, ${literal(mode)})`;
    const value = ctx.attrs['constant_values'] as number | undefined;
    return tfCall('pad', ctx.type, [ctx.inputs[0]!, paddings, ...(value !== undefined && value !== 0 ? [literal(value)] : [])]);
  },
  runtime: (attrs) => ((attrs['mode'] ?? 'constant') === 'constant' ? [] : ['nn']),
};
