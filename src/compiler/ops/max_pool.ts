import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';
import { checkImage, paddingSchema, slide, spatialWindow, windowSchema, type Padding } from './shared/window.js';

export const maxPool: OpDefinition = {
  name: 'max_pool',
  summary: 'the maximum over each window of NHWC images, per channel (tf.nn.max_pool)',
  inputs: { min: 1, max: 1, description: 'the [batch, height, width, channels] images' },
  attributes: (b) => ({
    ksize: windowSchema(b, 'the window size along each dimension', [[1, 2, 2, 1]]),
    strides: windowSchema(b, 'the step of the window along each dimension', [[1, 2, 2, 1]]),
    padding: paddingSchema(b),
  }),
  requiredAttributes: ['ksize', 'strides', 'padding'],
  infer: (ctx) => {
    const op = 'max_pool';
    const [x] = ctx.inputs;
    if (!x || !checkImage(ctx, op, x, 0)) return undefined;
    const size = spatialWindow(ctx, op, 'ksize');
    const strides = size && spatialWindow(ctx, op, 'strides');
    if (!size || !strides) return undefined;
    return slide(ctx, op, x, { size, what: 'window', path: 'ksize' }, strides, x.type.shape[3] as number);
  },
  lower: (ctx) => {
    const window = (name: string): string => literal((ctx.attrs[name] as number[]).slice(1, 3));
    const padding = (ctx.attrs['padding'] as Padding).toLowerCase();
    return tfCall('maxPool', ctx.type, [ctx.inputs[0]!, window('ksize'), window('strides'), literal(padding)]);
  },
};
