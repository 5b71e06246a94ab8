import { stridedSliceRanges, type StridedSliceSpec } from '../../common/strided-slice.js';
import type { Attrs, OpDefinition } from './op.js';
import { literal, tsTensorType } from '../types/typescript.js';

function specOf(attrs: Attrs): StridedSliceSpec {
  const mask = (name: string): number => (attrs[name] as number | undefined) ?? 0;
  return {
    begin: attrs['begin'] as number[],
    end: attrs['end'] as number[],
    ...(attrs['strides'] !== undefined ? { strides: attrs['strides'] as number[] } : {}),
    beginMask: mask('begin_mask'),
    endMask: mask('end_mask'),
    shrinkAxisMask: mask('shrink_axis_mask'),
  };
}

export const stridedSlice: OpDefinition = {
  name: 'strided_slice',
  summary: "x[begin:end:stride] in every dimension, as TF's strided_slice with begin_mask, end_mask and shrink_axis_mask (no ellipsis or new axes)",
  inputs: { min: 1, max: 1, description: 'the tensor to slice' },
  attributes: (b) => {
    const list = (description: string, item: string, examples: unknown[]) => ({
      type: 'array',
      items: b.integer({ description: item }),
      minItems: 1,
      maxItems: 6,
      description,
      examples,
    });
    const mask = (description: string, example: number) => b.integer({ description, minimum: 0, maximum: 63, default: 0, examples: [example] });
    return {
      begin: list('the first position in each leading dimension; negative counts from the end; dimensions beyond the list are taken whole', 'a position', [[0, 1]]),
      end: list('the position each range stops before; negative counts from the end', 'a position', [[0, -1]]),
      strides: list('the step in each dimension, nonzero; negative walks backwards (default: 1 everywhere)', 'a step', [[1, 2]]),
      begin_mask: mask('bit i set: ignore begin[i] and start at the first position (the last for a negative stride), as begin left out of x[:3]', 1),
      end_mask: mask('bit i set: ignore end[i] and go to the end, as end left out of x[1:]', 1),
      shrink_axis_mask: mask('bit i set: take the one position begin[i] and drop dimension i, as x[:, 2]', 2),
    };
  },
  requiredAttributes: ['begin', 'end'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const spec = specOf(ctx.attrs);
    const rank = x.type.shape.length;
    const lists = [['begin', spec.begin], ['end', spec.end], ['strides', spec.strides ?? spec.begin]] as const;
    for (const [attribute, list] of lists) {
      if (list.length > rank || list.length !== spec.begin.length) {
        return ctx.error('GC503', { op: 'strided_slice', input: x.name, rank, expected: `at least ${spec.begin.length}, one entry per sliced dimension, and begin, end and strides of one length` }, attribute);
      }
    }
    const ranges = stridedSliceRanges(x.type.shape, spec);
    if (!Array.isArray(ranges)) {
      switch (ranges.kind) {
        case 'zero_stride':
          return ctx.error('GC539', { op: 'strided_slice', index: ranges.dim }, `strides/${ranges.dim}`);
        case 'index':
          return ctx.error('GC511', { op: 'strided_slice', index: ranges.index, axis: ranges.dim, size: ranges.size }, `begin/${ranges.dim}`);
        case 'empty':
          return ctx.error('GC533', { op: 'strided_slice', dim: ranges.dim, size: ranges.size, begin: ranges.begin, end: ranges.end, empty: true }, `end/${ranges.dim}`);
      }
    }
    return { dtype: x.type.dtype, shape: ranges.filter((r) => !r.shrink).map((r) => r.length) };
  },
  lower: (ctx) => {
    const { begin, end, strides, beginMask, endMask, shrinkAxisMask } = specOf(ctx.attrs);
    // Only what the spec says: masks of 0 and unit strides are left out.
    const spec = {
      begin,
      end,
      ...(strides && strides.some((s) => s !== 1) ? { strides } : {}),
      ...(beginMask ? { beginMask } : {}),
      ...(endMask ? { endMask } : {}),
      ...(shrinkAxisMask ? { shrinkAxisMask } : {}),
    };
    return `nn.stridedSlice<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${literal(spec)})`;
  },
  runtime: ['nn'],
};
