import { normaliseAxis } from '../types/tensor.js';
import { literal } from '../types/typescript.js';
import type { LowerContext, OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { reductionOp } from './shared/reduce.js';

const mean = reductionOp('reduce_mean', 'mean', 'mean over an axis, or over everything (tf.reduce_mean); of int32, the integer mean (truncated toward zero, as TF)');

export const reduceMean: OpDefinition = {
  ...mean,
  lower: (ctx) => (ctx.inputTypes[0]!.dtype === 'int32' ? integerMean(ctx) : mean.lower(ctx)),
};

/**
 * TF divides an integer sum by the count as integers, toward zero; tf.mean
 * returns the float32 mean instead. The sum stays exact in int32, and a
 * float32 division of two integers is exact wherever it divides evenly, so the
 * cast's truncation gives TF's quotient.
 */
function integerMean(ctx: LowerContext): string {
  const [x] = ctx.inputs as [string];
  const shape = ctx.inputTypes[0]!.shape;
  const axisAttr = ctx.attrs['axis'] as number | undefined;
  const keep = ctx.attrs['keepdims'] === true;
  const reduced = axisAttr === undefined ? shape.map((_, i) => i) : [normaliseAxis(axisAttr, shape.length)!];
  const known = reduced.reduce((n, i) => n * (shape[i] ?? 1), 1);
  // A reduced batch dimension is counted when the step runs.
  const unknown = reduced.filter((i) => shape[i] === null).map((i) => `${x}.shape[${i}]`);
  const count = [...(known !== 1 || unknown.length === 0 ? [String(known)] : []), ...unknown].join(' * ');
  const sumArgs = [x, ...(axisAttr !== undefined || keep ? [axisAttr === undefined ? 'null' : literal(axisAttr)] : []), ...(keep ? ['true'] : [])];
  const sum = tfCall('sum', ctx.type, sumArgs);
  return tfCall('cast', ctx.type, [`tf.div(tf.cast(${sum}, 'float32'), ${count})`, "'int32'"]);
}
