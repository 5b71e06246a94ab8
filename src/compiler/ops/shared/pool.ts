/** max_pool and avg_pool: one window over NHWC images, per channel; they differ in the reduction alone. */
import type { OpDefinition } from '../op.js';
import { literal } from '../../types/typescript.js';
import { tfCall } from './emit.js';
import { checkImage, paddingSchema, slide, spatialWindow, windowSchema, type Padding } from './window.js';

/** `lowering` names the function: `tf.<fn>`, or `nn.<fn>` where the runtime has its own (avg_pool's SAME gradient). */
export function poolOp(name: string, lowering: { readonly namespace: 'tf' | 'nn'; readonly fn: string }, summary: string): OpDefinition {
  return {
    name,
    summary,
    inputs: { min: 1, max: 1, description: 'the [batch, height, width, channels] images' },
    attributes: (b) => ({
      ksize: windowSchema(b, 'the window size along each dimension', [[1, 2, 2, 1]]),
      strides: windowSchema(b, 'the step of the window along each dimension', [[1, 2, 2, 1]]),
      padding: paddingSchema(b),
    }),
    requiredAttributes: ['ksize', 'strides', 'padding'],
    infer: (ctx) => {
      const [x] = ctx.inputs;
      if (!x || !checkImage(ctx, name, x, 0)) return undefined;
      const size = spatialWindow(ctx, name, 'ksize');
      const strides = size && spatialWindow(ctx, name, 'strides');
      if (!size || !strides) return undefined;
      return slide(ctx, name, x, { size, what: 'window', path: 'ksize' }, strides, x.type.shape[3] as number);
    },
    lower: (ctx) => {
      const window = (attribute: string): string => literal((ctx.attrs[attribute] as number[]).slice(1, 3));
      const padding = (ctx.attrs['padding'] as Padding).toLowerCase();
      const args = [ctx.inputs[0]!, window('ksize'), window('strides'), literal(padding)];
      return lowering.namespace === 'tf' ? tfCall(lowering.fn, ctx.type, args) : `nn.${lowering.fn}(${args.join(', ')})`;
    },
    ...(lowering.namespace === 'nn' ? { runtime: ['nn'] as const } : {}),
  };
}
