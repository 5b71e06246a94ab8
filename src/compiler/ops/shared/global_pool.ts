/** global_average_pool and global_max_pool: a reduction over the spatial axes of NWC or NHWC tensors, per channel (Keras's GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D). */
import type { Dim } from '../../types/tensor.js';
import { literal } from '../../types/typescript.js';
import type { OpDefinition } from '../op.js';
import { tfCall } from './emit.js';

export function globalPoolOp(name: string, tfFunction: string, summary: string): OpDefinition {
  return {
    name,
    summary,
    inputs: { min: 1, max: 1, description: 'a [batch, width, channels] (NWC) or [batch, height, width, channels] (NHWC) tensor' },
    attributes: (b) => ({
      keepdims: b.boolean({ description: 'keep the spatial axes with length 1 ([batch, 1, 1, channels] for NHWC)', default: false }),
    }),
    infer: (ctx) => {
      const [x] = ctx.inputs;
      if (!x) return undefined;
      if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: name, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
      const rank = x.type.shape.length;
      if (rank !== 3 && rank !== 4) {
        return ctx.error('GC503', { op: name, input: x.name, rank, expected: '3 ([batch, width, channels]) or 4 ([batch, height, width, channels])' }, 'inputs/0');
      }
      const channels = x.type.shape[rank - 1]!;
      if (channels === null) return ctx.error('GC507', { op: name, kind: 'unknown_dims', dims: 'channel', input: x.name }, 'inputs/0');
      const shape: Dim[] = ctx.attrs['keepdims'] === true ? x.type.shape.map((d, k) => (k === 0 || k === rank - 1 ? d : 1)) : [x.type.shape[0]!, channels];
      return { dtype: 'float32', shape };
    },
    lower: (ctx) => {
      const rank = ctx.inputTypes[0]!.shape.length;
      const spatial = rank === 3 ? [1] : [1, 2];
      const args = [ctx.inputs[0]!, literal(spatial)];
      if (ctx.attrs['keepdims'] === true) args.push('true');
      return tfCall(tfFunction, ctx.type, args);
    },
  };
}
