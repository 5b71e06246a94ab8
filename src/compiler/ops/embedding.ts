import type { OpDefinition } from './op.js';
import { literal, tsTensorType } from '../types/typescript.js';
import { initializerLiteral } from './shared/initializer.js';

/** The output size: `units`, or `output_dim` as Keras's Embedding calls it. */
function units(attrs: Readonly<Record<string, unknown>>): number | undefined {
  return (attrs['units'] ?? attrs['output_dim']) as number | undefined;
}

export const embedding: OpDefinition = {
  name: 'embedding',
  summary: 'a learned vector per token id: rows of a [vocab_size, units] variable gathered at int32 ids of any rank, giving [..., units] (Keras Embedding, torch.nn.Embedding)',
  inputs: { min: 1, max: 1, description: 'int32 token ids in [0, vocab_size), of any shape ([batch, time] for a text)' },
  attributes: (b) => ({
    vocab_size: b.integer({ description: 'how many ids there are (the table\'s rows); ids must lie in [0, vocab_size)', minimum: 1, examples: [10000, '$vocab_size'] }),
    units: b.integer({ description: 'the size of each id\'s vector (the table\'s columns)', minimum: 1, examples: [64, '$embedding_size'] }),
    output_dim: b.integer({ description: 'Keras\'s name for units; give one of the two', minimum: 1, examples: [64] }),
    init: b.initializer({ description: 'how the table starts (default random_uniform in [-0.05, 0.05], as Keras\'s Embedding)', examples: [{ random_normal: { stddev: 1 } }, 'glorot_uniform'] }),
  }),
  requiredAttributes: ['vocab_size'],
  infer: (ctx) => {
    const [ids] = ctx.inputs;
    if (!ids) return undefined;
    if (ids.type.dtype !== 'int32') return ctx.error('GC543', { op: 'embedding', input: ids.name, dtype: ids.type.dtype }, 'inputs/0');
    const size = units(ctx.attrs);
    if (size === undefined || (ctx.attrs['units'] !== undefined && ctx.attrs['output_dim'] !== undefined)) {
      return ctx.error('GC544', { op: 'embedding', attributes: ['units', 'output_dim'], given: ['units', 'output_dim'].filter((a) => ctx.attrs[a] !== undefined) });
    }
    return { dtype: 'float32', shape: [...ids.type.shape, size] };
  },
  variables: (ctx) => {
    const vocab = ctx.attrs['vocab_size'] as number;
    const size = units(ctx.attrs)!;
    const init = ctx.attrs['init'] === undefined ? literal({ kind: 'random_uniform', minval: -0.05, maxval: 0.05 }) : initializerLiteral(ctx.attrs['init'], 'glorot_uniform');
    return {
      tsType: 'tf.Variable<tf.Rank.R2>',
      create: `init.variable<tf.Rank.R2>(${literal(`${ctx.node}/embeddings`)}, [${vocab}, ${size}], ${init})`,
      parameters: vocab * size,
    };
  },
  lower: (ctx) => `nn.embedding<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${ctx.variables})`,
  runtime: ['nn'],
};
