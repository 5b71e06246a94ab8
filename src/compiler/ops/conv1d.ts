import type { Dim } from '../types/tensor.js';
import { literal } from '../types/typescript.js';
import type { OpDefinition } from './op.js';
import { tfCall } from './shared/emit.js';
import { paddingSchema, type Padding } from './shared/window.js';

export const conv1d: OpDefinition = {
  name: 'conv1d',
  summary: '1-D convolution of [batch, width, channels] sequences with a [width, in_channels, out_channels] filter (tf.nn.conv1d, Keras Conv1D)',
  inputs: { min: 2, max: 2, description: 'the [batch, width, channels] sequences (NWC), then the filter (usually a variable)' },
  attributes: (b) => ({
    stride: b.integer({ description: 'the step of the filter along the width', minimum: 1, default: 1 }),
    padding: paddingSchema(b),
    dilation: b.integer({ description: 'the spacing between the filter taps (1: none); stride and dilation cannot both exceed 1', minimum: 1, default: 1 }),
  }),
  requiredAttributes: ['padding'],
  infer: (ctx) => {
    const op = 'conv1d';
    const [x, filter] = ctx.inputs;
    if (!x || !filter) return undefined;
    if (x.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'sequence', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
    if (x.type.shape.length !== 3) return ctx.error('GC503', { op, input: x.name, rank: x.type.shape.length, expected: '3 ([batch, width, channels]); reshape it first' }, 'inputs/0');
    if (x.type.shape[1] === null || x.type.shape[2] === null) return ctx.error('GC507', { op, kind: 'unknown_dims', dims: 'sequence', input: x.name }, 'inputs/0');
    if (filter.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'filter', expected: ['float32'], input: filter.name, actual: filter.type.dtype }, 'inputs/1');
    if (filter.type.shape.length !== 3 || filter.type.shape.some((d) => d === null)) {
      return ctx.error('GC503', { op, input: filter.name, rank: filter.type.shape.length, expected: '3 ([width, in_channels, out_channels]) with every dimension known' }, 'inputs/1');
    }
    const [taps, inChannels, outChannels] = filter.type.shape as number[];
    const [width, channels] = [x.type.shape[1] as number, x.type.shape[2] as number];
    if (channels !== inChannels) return ctx.error('GC510', { op, input: x.name, channels, filter: filter.name, expected: inChannels!, filterAxis: 'second' }, 'inputs/1');
    const stride = (ctx.attrs['stride'] as number | undefined) ?? 1;
    const dilation = (ctx.attrs['dilation'] as number | undefined) ?? 1;
    if (stride > 1 && dilation > 1) return ctx.error('GC552', { op, stride, dilation }, 'dilation');
    // A dilated filter spans (taps − 1) · dilation + 1 positions.
    const span = (taps! - 1) * dilation + 1;
    const padding = ctx.attrs['padding'] as Padding;
    if (padding === 'VALID' && span > width) return ctx.error('GC509', { op, window: [span], input: [width], what: dilation > 1 ? 'dilated filter' : 'filter' }, 'inputs/1');
    const out = Math.ceil((padding === 'SAME' ? width : width - span + 1) / stride);
    const shape: Dim[] = [x.type.shape[0]!, out, outChannels!];
    return { dtype: 'float32', shape };
  },
  lower: (ctx) => {
    const stride = (ctx.attrs['stride'] as number | undefined) ?? 1;
    const dilation = (ctx.attrs['dilation'] as number | undefined) ?? 1;
    const padding = (ctx.attrs['padding'] as Padding).toLowerCase();
    // tfjs has no gradient for dilated convolutions: the runtime composes them.
    if (dilation > 1) return `nn.dilatedConv1d(${ctx.inputs.join(', ')}, ${literal(dilation)}, ${literal(padding)})`;
    return tfCall('conv1d', ctx.type, [...ctx.inputs, literal(stride), literal(padding)]);
  },
  runtime: ['nn'],
};
