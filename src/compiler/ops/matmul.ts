import type { Dim } from '../types/tensor.js';
import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';

export const matmul: OpDefinition = {
  name: 'matmul',
  summary: 'matrix product a × b, optionally transposing either (tf.matmul); rank 3 inputs are batched',
  inputs: { min: 2, max: 2, description: 'the two matrices' },
  attributes: (b) => ({
    transpose_a: b.boolean({ description: 'use the transpose of a', default: false }),
    transpose_b: b.boolean({ description: 'use the transpose of b', default: false }),
  }),
  infer: (ctx) => {
    const [a, b] = ctx.inputs;
    if (!a || !b) return undefined;
    for (const [i, x] of [a, b].entries()) {
      if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: 'matmul', kind: 'wrong_dtype', role: 'matrices', expected: ['float32'], input: x.name, actual: x.type.dtype }, `inputs/${i}`);
      if (x.type.shape.length < 2 || x.type.shape.length > 3) {
        return ctx.error('GC503', { op: 'matmul', input: x.name, rank: x.type.shape.length, expected: '2 (or 3, batched)' }, `inputs/${i}`);
      }
    }
    if (a.type.shape.length !== b.type.shape.length) {
      return ctx.error('GC503', { op: 'matmul', input: b.name, rank: b.type.shape.length, expected: `${a.type.shape.length}, the rank of '${a.name}'` }, 'inputs/1');
    }
    const ta = ctx.attrs['transpose_a'] === true;
    const tb = ctx.attrs['transpose_b'] === true;
    const [ar, ac] = lastTwo(a.type.shape, ta);
    const [br, bc] = lastTwo(b.type.shape, tb);
    if (ac !== null && br !== null && ac !== br) return ctx.error('GC504', { left: a.type.shape, right: b.type.shape }, 'inputs');
    const batch: Dim[] = a.type.shape.length === 3 ? [a.type.shape[0] ?? b.type.shape[0] ?? null] : [];
    return { dtype: 'float32', shape: [...batch, ar, bc] };
  },
  lower: (ctx) => {
    const args = [...ctx.inputs];
    const ta = ctx.attrs['transpose_a'] === true;
    const tb = ctx.attrs['transpose_b'] === true;
    if (ta || tb) args.push(String(ta), String(tb));
    return tfCall('matMul', ctx.type, args);
  },
};

function lastTwo(shape: readonly Dim[], transpose: boolean): [Dim, Dim] {
  const rows = shape[shape.length - 2] ?? null;
  const cols = shape[shape.length - 1] ?? null;
  return transpose ? [cols, rows] : [rows, cols];
}
