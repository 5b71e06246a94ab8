import type { OpDefinition } from './op.js';
import { tfCall, tfCallAs } from './shared/emit.js';
import { literal } from '../types/typescript.js';

export const oneHot: OpDefinition = {
  name: 'one_hot',
  summary: 'int32 indices → float32 one-hot vectors along a new last axis: on_value at the index, off_value elsewhere (tf.one_hot)',
  inputs: { min: 1, max: 1, description: 'the int32 indices (any shape); an index outside 0 to depth − 1 gives a vector of off_value' },
  attributes: (b) => ({
    depth: b.integer({ description: 'the length of each one-hot vector (the number of classes); at least 2, as tf.oneHot requires', minimum: 2, examples: [10] }),
    on_value: b.number({ description: 'the value at the index', default: 1 }),
    off_value: b.number({ description: 'the value elsewhere', default: 0 }),
    axis: b.integer({ description: 'where the new axis goes: only -1 (the last), as tf.oneHot', minimum: -1, maximum: -1, default: -1 }),
  }),
  requiredAttributes: ['depth'],
  infer: (ctx) => {
    const [indices] = ctx.inputs;
    if (!indices) return undefined;
    if (indices.type.dtype !== 'int32') {
      return ctx.error('GC501', { op: 'one_hot', kind: 'wrong_dtype', role: 'indices', expected: ['int32'], input: indices.name, actual: indices.type.dtype, castFirst: true }, 'inputs/0');
    }
    return { dtype: 'float32', shape: [...indices.type.shape, ctx.attrs['depth'] as number] };
  },
  // tf.oneHot's int32 0/1, then float32 values: the wasm backend's OneHot writes float32 output as integers (tfjs 4.22).
  lower: (ctx) => {
    const on = (ctx.attrs['on_value'] as number | undefined) ?? 1;
    const off = (ctx.attrs['off_value'] as number | undefined) ?? 0;
    const hot = `tf.oneHot(${ctx.inputs[0]}, ${literal(ctx.attrs['depth'])})`;
    if (on === 1 && off === 0) return tfCallAs('cast', ctx.type, [hot, literal('float32')]);
    return tfCall('where', ctx.type, [`tf.cast(${hot}, 'bool')`, literal(on), literal(off)]);
  },
};
