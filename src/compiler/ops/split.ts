import { normaliseAxis, type Dim } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { literal, tsTensorType, tsTupleType } from '../types/typescript.js';

export const split: OpDefinition = {
  name: 'split',
  summary: 'splits a tensor along an axis into equal parts or parts of given sizes; output i is name:i (tf.split)',
  inputs: { min: 1, max: 1, description: 'the tensor to split' },
  attributes: (b) => ({
    num_or_size_splits: {
      anyOf: [
        b.integer({ description: 'the number of equal parts; it must divide the dimension', minimum: 1 }),
        {
          type: 'array',
          items: b.integer({ description: 'a part\'s size; -1: what the others leave', minimum: -1 }),
          minItems: 1,
          description: "the parts' sizes, summing to the dimension; one may be -1",
        },
      ],
      description: 'how many equal parts, or the size of each part',
      examples: [2, [3, -1]],
    },
    axis: b.axis({ description: 'the axis to split along; negative counts from the last', default: 0, examples: [1] }),
  }),
  requiredAttributes: ['num_or_size_splits'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const rank = x.type.shape.length;
    const axisAttr = (ctx.attrs['axis'] as number | undefined) ?? 0;
    const axis = normaliseAxis(axisAttr, rank);
    if (axis === undefined) return ctx.error('GC505', { op: 'split', axis: axisAttr, rank }, 'axis');
    const dim = x.type.shape[axis]!;
    const splits = ctx.attrs['num_or_size_splits'] as number | number[];
    let sizes: Dim[];
    if (typeof splits === 'number') {
      if (dim !== null && dim % splits !== 0) return ctx.error('GC535', { op: 'split', axis, problem: { kind: 'uneven', count: splits, size: dim } }, 'num_or_size_splits');
      sizes = Array.from({ length: splits }, () => (dim === null ? null : dim / splits));
    } else {
      const zero = splits.indexOf(0);
      if (zero >= 0) return ctx.error('GC508', { value: 0, what: `num_or_size_splits[${zero}] (or -1 for the rest)` }, `num_or_size_splits/${zero}`);
      const inferred = splits.flatMap((s, i) => (s === -1 ? [i] : []));
      if (inferred.length > 1) return ctx.error('GC535', { op: 'split', axis, problem: { kind: 'two_inferred' } }, `num_or_size_splits/${inferred[1]}`);
      const fixed = splits.reduce((a, s) => (s === -1 ? a : a + s), 0);
      if (dim !== null && (inferred.length === 0 ? fixed !== dim : fixed >= dim)) {
        return ctx.error('GC535', { op: 'split', axis, problem: { kind: 'sum', sizes: splits, size: dim } }, 'num_or_size_splits');
      }
      sizes = splits.map((s) => (s !== -1 ? s : dim === null ? null : dim - fixed));
    }
    return { outputs: sizes.map((size) => ({ dtype: x.type.dtype, shape: x.type.shape.map((d, i) => (i === axis ? size : d)) })) };
  },
  lower: (ctx) => {
    const axis = normaliseAxis((ctx.attrs['axis'] as number | undefined) ?? 0, ctx.type.shape.length)!;
    const rank = ctx.type.shape.length;
    return `tf.split<${tsTensorType(rank)}>(${ctx.inputs[0]}, ${literal(ctx.attrs['num_or_size_splits'])}, ${axis}) as ${tsTupleType(ctx.outputs!.map(() => rank))}`;
  },
};
