import { knownSize, type Dim } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { literal } from '../types/typescript.js';

export const reshape: OpDefinition = {
  name: 'reshape',
  summary: 'gives a tensor a new shape with the same elements; one dimension may be -1 (tf.reshape)',
  inputs: { min: 1, max: 1, description: 'the tensor to reshape' },
  attributes: (b) => ({
    shape: b.shape({ description: 'the new shape; -1 stands for the one dimension inferred from the others', allowNull: false, allowInfer: true, examples: [[-1, 28, 28]] }),
  }),
  requiredAttributes: ['shape'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const target = ctx.attrs['shape'] as number[];
    const inferred = target.flatMap((d, i) => (d === -1 ? [i] : []));
    const bad = target.findIndex((d) => d === 0 || d < -1);
    if (bad >= 0) return ctx.error('GC508', { value: target[bad]!, what: `dimension ${bad} of the target shape` }, `shape/${bad}`);
    if (inferred.length > 1) {
      return ctx.error('GC502', { from: x.type.shape, to: target, reason: 'two_inferred' }, `shape/${inferred[1]}`);
    }
    const fixed = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const perExample = knownSize(x.type.shape.filter((d): d is number => d !== null));
    const hasBatch = x.type.shape.some((d) => d === null);
    const elements = perExample ?? 1;
    if (elements % fixed !== 0 || (inferred.length === 0 && !hasBatch && elements !== fixed)) {
      return ctx.error('GC502', inferred.length === 0 && !hasBatch
        ? { from: x.type.shape, to: target, reason: 'cannot_fill', elements }
        : { from: x.type.shape, to: target, reason: 'not_multiple', elements, perExample: hasBatch }, 'shape');
    }
    if (hasBatch && inferred.length === 0) {
      return ctx.error('GC502', { from: x.type.shape, to: target, reason: 'unknown_batch' }, 'shape');
    }
    const shape: Dim[] = target.map((d) => (d === -1 ? (hasBatch ? null : elements / fixed) : d));
    return { dtype: x.type.dtype, shape };
  },
  lower: (ctx) => `tf.reshape<tf.Rank.R${ctx.type.shape.length}>(${ctx.inputs[0]}, ${literal(ctx.attrs['shape'])})`,
};
