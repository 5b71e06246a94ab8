import { DTYPES, type DType } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';

export const cast: OpDefinition = {
  name: 'cast',
  summary: 'converts a tensor to another dtype; true → 1 (tf.cast)',
  inputs: { min: 1, max: 1, description: 'the tensor to convert' },
  attributes: (b) => ({ dtype: b.enumOf(DTYPES, { description: 'the dtype to convert to', examples: ['float32'] }) }),
  requiredAttributes: ['dtype'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    return { dtype: ctx.attrs['dtype'] as DType, shape: x.type.shape };
  },
  lower: (ctx) => tfCall('cast', ctx.type, [ctx.inputs[0]!, literal(ctx.attrs['dtype'])]),
};
