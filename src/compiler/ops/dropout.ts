import { tsTensorType } from '../types/typescript.js';
import type { OpDefinition } from './op.js';
import { checkKeepProb, keepProbExpression, keepProbReferences, keepProbSchema } from './shared/keep_prob.js';

export const dropout: OpDefinition = {
  name: 'dropout',
  summary: 'keeps each element with probability keep_prob, scaled by 1/keep_prob, else zero (tf.nn.dropout); keep_prob 1 passes the input through',
  inputs: { min: 1, max: 1, description: 'the float32 tensor to drop elements of' },
  attributes: (b) => ({ keep_prob: keepProbSchema(b, 'probability of keeping each element') }),
  requiredAttributes: ['keep_prob'],
  attributeReferences: (attrs) => keepProbReferences(attrs['keep_prob'], 'keep_prob'),
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: 'dropout', kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
    if (!checkKeepProb(ctx, 'dropout', 'keep_prob', ctx.attrs['keep_prob'], 'keep_prob')) return undefined;
    return x.type;
  },
  lower: (ctx) => `nn.dropout<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${keepProbExpression(ctx, ctx.attrs['keep_prob'])}, ctx.random, ctx.exampleOffset)`,
  runtime: ['nn'],
};
