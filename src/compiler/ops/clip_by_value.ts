import { literal, tsTensorType } from '../types/typescript.js';
import type { OpDefinition } from './op.js';
import { inferUnaryFloat } from './shared/elementwise.js';

export const clipByValue: OpDefinition = {
  name: 'clip_by_value',
  summary: 'x limited to [clip_value_min, clip_value_max], elementwise; the gradient passes where x is inside the range (tf.clip_by_value)',
  example: { op: 'clip_by_value', inputs: ['probs'], clip_value_min: 1e-7, clip_value_max: 1 },
  inputs: { min: 1, max: 1, description: 'the float32 tensor to clip' },
  attributes: (b) => ({
    clip_value_min: b.number({ description: 'the lower bound', examples: [1e-7] }),
    clip_value_max: b.number({ description: 'the upper bound, at least clip_value_min', examples: [1] }),
  }),
  requiredAttributes: ['clip_value_min', 'clip_value_max'],
  infer: (ctx) => {
    const type = inferUnaryFloat(ctx, 'clip_by_value');
    const min = ctx.attrs['clip_value_min'] as number;
    const max = ctx.attrs['clip_value_max'] as number;
    if (type && min > max) return ctx.error('GC522', { op: 'clip_by_value', min, max }, 'clip_value_max');
    return type;
  },
  lower: (ctx) => `tf.clipByValue<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${literal(ctx.attrs['clip_value_min'])}, ${literal(ctx.attrs['clip_value_max'])})`,
};
