/**
 * softmax and log_softmax over any axis. tfjs's kernels take only the last
 * axis; over another, they are written with logsumexp, which is stable
 * (it subtracts the maximum): softmax = exp(x − logsumexp(x)).
 */
import { normaliseAxis } from '../../types/tensor.js';
import type { OpDefinition } from '../op.js';
import { tfCall } from './emit.js';
import { tsTensorType } from '../../types/typescript.js';

export function softmaxOp(name: string, summary: string, last: string, other: (x: string, logSumExp: string, tsType: string) => { fn: string; args: string[] }): OpDefinition {
  return {
    name,
    summary,
    inputs: { min: 1, max: 1, description: 'the logits' },
    attributes: (b) => ({ axis: b.axis({ description: 'the axis to normalise over; negative counts from the last', default: -1, examples: [1] }) }),
    infer: (ctx) => {
      const [x] = ctx.inputs;
      if (!x) return undefined;
      if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: name, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype, castFirst: true }, 'inputs/0');
      const rank = x.type.shape.length;
      const axis = ctx.attrs['axis'] as number | undefined;
      if (axis !== undefined && normaliseAxis(axis, rank) === undefined) return ctx.error('GC505', { op: name, axis, rank }, 'axis');
      if (rank === 0) return ctx.error('GC503', { op: name, input: x.name, rank, expected: 'at least 1' }, 'inputs/0');
      return x.type;
    },
    lower: (ctx) => {
      const rank = ctx.type.shape.length;
      const axis = normaliseAxis((ctx.attrs['axis'] as number | undefined) ?? -1, rank)!;
      if (axis === rank - 1) return tfCall(last, ctx.type, ctx.inputs);
      const x = ctx.inputs[0]!;
      const { fn, args } = other(x, `tf.logSumExp(${x}, ${axis}, true)`, tsTensorType(rank));
      return tfCall(fn, ctx.type, args);
    },
  };
}
