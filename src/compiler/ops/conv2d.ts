import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { literal } from '../types/typescript.js';
import { checkImage, paddingSchema, slide, spatialWindow, windowSchema, type Padding } from './shared/window.js';

export const conv2d: OpDefinition = {
  name: 'conv2d',
  summary: '2-D convolution of NHWC images with a [height, width, in_channels, out_channels] filter (tf.nn.conv2d)',
  inputs: { min: 2, max: 2, description: 'the [batch, height, width, channels] images, then the filter (usually a variable)' },
  attributes: (b) => ({
    strides: windowSchema(b, 'the step of the filter along each dimension', [[1, 1, 1, 1]]),
    padding: paddingSchema(b),
  }),
  requiredAttributes: ['strides', 'padding'],
  infer: (ctx) => {
    const op = 'conv2d';
    const [x, filter] = ctx.inputs;
    if (!x || !filter) return undefined;
    if (!checkImage(ctx, op, x, 0)) return undefined;
    if (filter.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'filter', expected: ['float32'], input: filter.name, actual: filter.type.dtype }, 'inputs/1');
    if (filter.type.shape.length !== 4 || filter.type.shape.some((d) => d === null)) {
      return ctx.error('GC503', { op, input: filter.name, rank: filter.type.shape.length, expected: '4 ([height, width, in_channels, out_channels]) with every dimension known' }, 'inputs/1');
    }
    const [height, width, inChannels, outChannels] = filter.type.shape as number[];
    const channels = x.type.shape[3] as number;
    if (channels !== inChannels) return ctx.error('GC510', { op, input: x.name, channels, filter: filter.name, expected: inChannels! }, 'inputs/1');
    const strides = spatialWindow(ctx, op, 'strides');
    if (!strides) return undefined;
    return slide(ctx, op, x, { size: [height!, width!], what: 'filter', path: 'inputs/1' }, strides, outChannels!);
  },
  lower: (ctx) => {
    const strides = ctx.attrs['strides'] as number[];
    const padding = (ctx.attrs['padding'] as Padding).toLowerCase();
    return tfCall('conv2d', ctx.type, [...ctx.inputs, literal(strides.slice(1, 3)), literal(padding)]);
  },
};
