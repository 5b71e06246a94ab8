import { normaliseAxis } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';

/** The dimensions squeeze removes: the listed ones, or every dimension known to be 1. */
function squeezed(attr: unknown, shape: readonly (number | null)[]): number[] | undefined {
  if (attr === undefined) return shape.flatMap((d, i) => (d === 1 ? [i] : []));
  const axes = typeof attr === 'number' ? [attr] : (attr as number[]);
  const normalised = axes.map((a) => normaliseAxis(a, shape.length));
  return normalised.every((a) => a !== undefined) ? [...new Set(normalised as number[])].sort((a, b) => a - b) : undefined;
}

export const squeeze: OpDefinition = {
  name: 'squeeze',
  summary: 'removes dimensions of size 1: the listed ones, or all of them (tf.squeeze)',
  inputs: { min: 1, max: 1, description: 'the tensor to squeeze' },
  attributes: (b) => ({
    axis: {
      anyOf: [b.axis({ description: 'one dimension' }), { type: 'array', items: b.axis({ description: 'a dimension' }), minItems: 1, maxItems: 6, description: 'several dimensions' }],
      description: 'the dimensions to remove, each of size 1; default: every dimension known to be 1 (never the batch)',
      examples: [1, [1, 2]],
    },
  }),
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const attr = ctx.attrs['axis'];
    const rank = x.type.shape.length;
    const axes = squeezed(attr, x.type.shape);
    if (!axes) {
      const list = typeof attr === 'number' ? [attr] : (attr as number[]);
      const bad = list.findIndex((a) => normaliseAxis(a, rank) === undefined);
      return ctx.error('GC505', { op: 'squeeze', axis: list[bad]!, rank }, typeof attr === 'number' ? 'axis' : `axis/${bad}`);
    }
    for (const axis of axes) {
      const size = x.type.shape[axis]!;
      if (size !== 1) return ctx.error('GC538', { op: 'squeeze', input: x.name, axis, size }, 'axis');
    }
    return { dtype: x.type.dtype, shape: x.type.shape.filter((_, i) => !axes.includes(i)) };
  },
  // The axes are always written out: tf.squeeze without them would also drop a batch of 1 at run time.
  lower: (ctx) => tfCall('squeeze', ctx.type, [ctx.inputs[0]!, literal(squeezed(ctx.attrs['axis'], ctx.inputTypes[0]!.shape)!)]),
};
