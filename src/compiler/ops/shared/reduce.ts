/** Reductions over an axis (or all axes), as tf.reduce_mean, tf.reduce_sum, tf.reduce_max, … */
import { normaliseAxis, type TensorType } from '../../types/tensor.js';
import type { OpDefinition } from '../op.js';
import { literal } from '../../types/typescript.js';
import { tfCall } from './emit.js';

/** floatOnly: the reduction is defined on float32 only (logsumexp). */
export function reductionOp(name: string, tfFunction: string, summary: string, options: { floatOnly?: boolean } = {}): OpDefinition {
  return {
    name,
    summary,
    inputs: { min: 1, max: 1, description: 'the tensor to reduce' },
    attributes: (b) => ({
      axis: b.axis({ description: 'the axis to reduce; all axes when omitted (giving a scalar)', examples: [1] }),
      keepdims: b.boolean({ description: 'keep the reduced axis with length 1', default: false }),
    }),
    infer: (ctx) => {
      const [x] = ctx.inputs;
      if (!x) return undefined;
      if (options.floatOnly && x.type.dtype !== 'float32') {
        return ctx.error('GC501', { op: name, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype, castFirst: true }, 'inputs/0');
      }
      if (x.type.dtype === 'bool') {
        return ctx.error('GC501', { op: name, kind: 'bool_input', action: 'reduce', input: x.name }, 'inputs/0');
      }
      const rank = x.type.shape.length;
      const keep = ctx.attrs['keepdims'] === true;
      const axisAttr = ctx.attrs['axis'];
      if (axisAttr === undefined) return { dtype: x.type.dtype, shape: keep ? x.type.shape.map(() => 1) : [] };
      const axis = normaliseAxis(axisAttr as number, rank);
      if (axis === undefined) return ctx.error('GC505', { op: name, axis: axisAttr as number, rank }, 'axis');
      const shape = keep ? x.type.shape.map((d, i) => (i === axis ? 1 : d)) : x.type.shape.filter((_, i) => i !== axis);
      return { dtype: x.type.dtype, shape } satisfies TensorType;
    },
    lower: (ctx) => {
      const args = [...ctx.inputs];
      const axis = ctx.attrs['axis'];
      const keep = ctx.attrs['keepdims'] === true;
      if (axis !== undefined || keep) args.push(axis === undefined ? 'null' : literal(axis));
      if (keep) args.push('true');
      return tfCall(tfFunction, ctx.type, args);
    },
  };
}
