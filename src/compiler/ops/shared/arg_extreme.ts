/** argmax and argmin: the index of the extreme value along an axis, as tf.argmax / tf.argmin. */
import { normaliseAxis } from '../../types/tensor.js';
import { literal } from '../../types/typescript.js';
import type { OpDefinition } from '../op.js';
import { tfCall } from './emit.js';

export function argExtremeOp(name: 'argmax' | 'argmin', tfFunction: 'argMax' | 'argMin', extreme: 'largest' | 'smallest'): OpDefinition {
  return {
    name,
    summary: `index of the ${extreme} value along an axis, as int32 (tf.${name})`,
    inputs: { min: 1, max: 1, description: 'the tensor to search' },
    attributes: (b) => ({ axis: b.axis({ description: 'the axis to search along', examples: [1] }) }),
    requiredAttributes: ['axis'],
    infer: (ctx) => {
      const [x] = ctx.inputs;
      if (!x) return undefined;
      if (x.type.dtype === 'bool') return ctx.error('GC501', { op: name, kind: 'bool_input', action: name, input: x.name }, 'inputs/0');
      const rank = x.type.shape.length;
      const axis = normaliseAxis(ctx.attrs['axis'] as number, rank);
      if (axis === undefined) return ctx.error('GC505', { op: name, axis: ctx.attrs['axis'] as number, rank }, 'axis');
      return { dtype: 'int32', shape: x.type.shape.filter((_, i) => i !== axis) };
    },
    lower: (ctx) => {
      const call = tfCall(tfFunction, ctx.type, [ctx.inputs[0]!, literal(ctx.attrs['axis'])]);
      // The webgpu backend's ArgMax/ArgMin of a vector gives shape [1] (tfjs 4.22); a scalar is reshaped to one.
      return ctx.type.shape.length === 0 ? `tf.reshape<tf.Rank.R0>(${call}, [])` : call;
    },
  };
}
