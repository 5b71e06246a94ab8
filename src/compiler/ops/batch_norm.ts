import { normaliseAxis } from '../types/tensor.js';
import { literal, tsTensorType } from '../types/typescript.js';
import type { Attrs, OpDefinition } from './op.js';

interface BatchNormAttrs {
  readonly axis?: number;
  readonly momentum?: number;
  readonly epsilon?: number;
  readonly center?: boolean;
  readonly scale?: boolean;
  readonly training?: string;
}

/** Keras's BatchNormalization defaults (tf.layers.batch_normalization's too). */
const DEFAULTS = { axis: -1, momentum: 0.99, epsilon: 1e-3 } as const;

const attrsOf = (attrs: Attrs): BatchNormAttrs => attrs as BatchNormAttrs;

export const batchNorm: OpDefinition = {
  name: 'batch_norm',
  summary:
    'normalises each channel with the batch statistics in training and the moving ones in inference, then scales by gamma and shifts by beta (tf.layers.batch_normalization, Keras BatchNormalization)',
  inputs: { min: 1, max: 1, description: 'a float32 [batch, …, channels] tensor (the output of a dense or conv layer)' },
  attributes: (b) => ({
    axis: b.axis({ description: 'the channel axis, normalised separately (default -1, the last)', examples: [-1] }),
    momentum: b.number({ description: 'moving average decay: moving = moving · momentum + batch · (1 − momentum), as Keras (PyTorch calls 1 − this its momentum)', minimum: 0, maximum: 1, default: DEFAULTS.momentum }),
    epsilon: b.number({ description: 'added to the variance before its square root', exclusiveMinimum: 0, default: DEFAULTS.epsilon }),
    center: b.boolean({ description: 'learn an offset beta per channel', default: true }),
    scale: b.boolean({ description: 'learn a factor gamma per channel', default: true }),
    training: b.reference({
      description: "a bool scalar placeholder choosing batch statistics (true) or the moving ones (false), as TF1's training=is_training; by default the phase chooses (train: batch statistics; eval: moving)",
      examples: ['is_training'],
    }),
  }),
  attributeReferences: (attrs) => {
    const training = attrsOf(attrs).training;
    return training === undefined ? [] : [{ path: 'training', name: training }];
  },
  infer: (ctx) => {
    const op = 'batch_norm';
    const [x] = ctx.inputs;
    if (!x) return undefined;
    if (x.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
    const rank = x.type.shape.length;
    if (rank < 2) return ctx.error('GC503', { op, input: x.name, rank, expected: 'at least 2 ([batch, …, channels])' }, 'inputs/0');
    const requested = attrsOf(ctx.attrs).axis ?? DEFAULTS.axis;
    const axis = normaliseAxis(requested, rank);
    if (axis === undefined) return ctx.error('GC505', { op, axis: requested, rank }, 'axis');
    if (axis === 0) return ctx.error('GC550', { op, axis: requested }, 'axis');
    if (x.type.shape[axis] === null) return ctx.error('GC507', { op, kind: 'unknown_dims', dims: 'channel', input: x.name }, 'inputs/0');
    const training = attrsOf(ctx.attrs).training;
    const flag = training === undefined ? undefined : ctx.typeOf(training);
    if (training !== undefined && flag && (flag.dtype !== 'bool' || flag.shape.length !== 0)) {
      return ctx.error('GC551', { op, attribute: 'training', input: training, dtype: flag.dtype, rank: flag.shape.length }, 'training');
    }
    return x.type;
  },
  variables: (ctx) => {
    const { center, scale } = attrsOf(ctx.attrs);
    const axis = normaliseAxis(attrsOf(ctx.attrs).axis ?? DEFAULTS.axis, ctx.type.shape.length)!;
    const channels = ctx.type.shape[axis] as number;
    const vector = (kind: 'variable' | 'state', name: string, value: number): string =>
      `init.${kind}<tf.Rank.R1>(${literal(`${ctx.node}/${name}`)}, [${channels}], ${literal(value === 0 ? { kind: 'zeros' } : { kind: 'constant', value })})`;
    const fields = [
      ...(scale === false ? [] : [`gamma: ${vector('variable', 'gamma', 1)}`]),
      ...(center === false ? [] : [`beta: ${vector('variable', 'beta', 0)}`]),
      `movingMean: ${vector('state', 'moving_mean', 0)}`,
      `movingVariance: ${vector('state', 'moving_variance', 1)}`,
    ];
    return {
      tsType: 'nn.BatchNormWeights',
      create: `{ ${fields.join(', ')} }`,
      parameters: ((scale === false ? 0 : 1) + (center === false ? 0 : 1)) * channels,
      state: 2 * channels,
    };
  },
  lower: (ctx) => {
    const attrs = attrsOf(ctx.attrs);
    const axis = normaliseAxis(attrs.axis ?? DEFAULTS.axis, ctx.type.shape.length)!;
    const training = attrs.training === undefined ? "ctx.phase === 'train'" : ctx.reference(attrs.training);
    const options = `{ training: ${training}, axis: ${axis}, momentum: ${literal(attrs.momentum ?? DEFAULTS.momentum)}, epsilon: ${literal(attrs.epsilon ?? DEFAULTS.epsilon)} }`;
    return `nn.batchNorm<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${ctx.variables}, ${options}, ctx.statistics)`;
  },
  runtime: ['nn'],
};
