import type { OpDefinition } from './op.js';
import { literal, tsTensorType } from '../types/typescript.js';
import { initializerLiteral } from './shared/initializer.js';

export const DENSE_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const;

export const dense: OpDefinition = {
  name: 'dense',
  summary: 'a fully connected layer: activation(x × kernel + bias) (tf.layers.dense); on a tensor of rank above 2 it maps the last axis, as Keras Dense',
  inputs: { min: 1, max: 1, description: 'a [batch, features] tensor, or [batch, ..., features] (the same weights for every leading position)' },
  attributes: (b) => ({
    units: b.integer({ description: 'output features', minimum: 1, examples: [1024, '$class_num'] }),
    activation: b.enumOf(DENSE_ACTIVATIONS, { description: 'applied after the affine map', default: 'linear' }),
    use_bias: b.boolean({ description: 'add a bias vector', default: true }),
    kernel_init: b.initializer({ description: 'kernel initializer (default glorot_uniform)', examples: ['glorot_uniform', { truncated_normal: { stddev: 0.1 } }] }),
    bias_init: b.initializer({ description: 'bias initializer (default zeros)', examples: [{ constant: 0.1 }] }),
  }),
  requiredAttributes: ['units'],
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: 'dense', kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
    const rank = x.type.shape.length;
    if (rank < 2) {
      return ctx.error('GC503', { op: 'dense', input: x.name, rank, expected: 'at least 2 ([batch, features], or [batch, ..., features])' }, 'inputs/0');
    }
    if (x.type.shape[rank - 1] === null) return ctx.error('GC507', { op: 'dense', kind: 'unknown_dims', dims: 'features', input: x.name }, 'inputs/0');
    return { dtype: 'float32', shape: [...x.type.shape.slice(0, -1), ctx.attrs['units'] as number] };
  },
  variables: (ctx) => {
    const inputs = ctx.inputTypes[0]!.shape.at(-1) as number;
    const units = ctx.attrs['units'] as number;
    const kernel = `init.variable<tf.Rank.R2>(${literal(`${ctx.node}/kernel`)}, [${inputs}, ${units}], ${initializerLiteral(ctx.attrs['kernel_init'], 'glorot_uniform')})`;
    if (ctx.attrs['use_bias'] === false) return { tsType: 'nn.DenseWeights', create: `{ kernel: ${kernel} }`, parameters: inputs * units };
    const bias = `init.variable<tf.Rank.R1>(${literal(`${ctx.node}/bias`)}, [${units}], ${initializerLiteral(ctx.attrs['bias_init'], 'zeros')})`;
    return { tsType: 'nn.DenseWeights', create: `{ kernel: ${kernel}, bias: ${bias} }`, parameters: inputs * units + units };
  },
  // nn.dense returns its input's type, so a rank-2 call needs no type argument.
  lower: (ctx) => `nn.dense${ctx.type.shape.length === 2 ? '' : `<${tsTensorType(ctx.type.shape.length)}>`}(${ctx.inputs[0]}, ${ctx.variables}, ${literal(ctx.attrs['activation'] ?? 'linear')})`,
  runtime: ['nn'],
};
