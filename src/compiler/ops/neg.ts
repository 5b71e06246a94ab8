import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';

export const neg: OpDefinition = {
  name: 'neg',
  summary: '-x elementwise (tf.negative)',
  inputs: { min: 1, max: 1, description: 'the operand' },
  attributes: () => ({}),
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    if (x.type.dtype === 'bool') return ctx.error('GC501', { op: 'neg', kind: 'bool_input', action: 'negate', input: x.name }, 'inputs/0');
    return x.type;
  },
  lower: (ctx) => tfCall('neg', ctx.type, ctx.inputs),
};
