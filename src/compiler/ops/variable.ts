import { tsRank } from '../types/typescript.js';
import type { OpDefinition } from './op.js';
import { literal } from '../types/typescript.js';
import { initializerLiteral } from './shared/initializer.js';

export const variable: OpDefinition = {
  name: 'variable',
  summary: 'a trainable float32 variable with an initializer (tf.Variable)',
  inputs: { min: 0, max: 0, description: 'none' },
  attributes: (b) => ({
    shape: b.shape({ description: 'the variable\'s shape', allowNull: false, allowInfer: false, examples: [['2 * $hidden_size', '$class_num']] }),
    init: b.initializer({ description: 'how the variable starts (default glorot_uniform)', examples: [{ truncated_normal: { stddev: 0.1 } }, { constant: 0.1 }] }),
  }),
  requiredAttributes: ['shape'],
  infer: (ctx) => {
    const shape = ctx.attrs['shape'] as number[];
    const bad = shape.findIndex((d) => !(d >= 1));
    if (bad >= 0) return ctx.error('GC508', { value: shape[bad]!, what: `dimension ${bad} of the variable's shape` }, `shape/${bad}`);
    return { dtype: 'float32', shape };
  },
  variables: (ctx) => {
    const rank = ctx.type.shape.length;
    return {
      tsType: `tf.Variable<${tsRank(rank)}>`,
      create: `init.variable<${tsRank(rank)}>(${literal(ctx.node)}, ${literal(ctx.attrs['shape'])}, ${initializerLiteral(ctx.attrs['init'], 'glorot_uniform')})`,
      parameters: (ctx.attrs['shape'] as number[]).reduce((a, b) => a * b, 1),
    };
  },
  lower: (ctx) => ctx.variables,
};
