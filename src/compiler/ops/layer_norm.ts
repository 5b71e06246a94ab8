import { normaliseAxis, type Dim } from '../types/tensor.js';
import { literal } from '../types/typescript.js';
import type { Attrs, OpDefinition } from './op.js';
import { initializerLiteral } from './shared/initializer.js';

/**
 * epsilon defaults to 1e-5, PyTorch's LayerNorm default (Keras's LayerNormalization
 * uses 1e-3): it is the value the Transformer implementations most models are
 * ported from use, and it disturbs the normalisation of small-variance features
 * less. Write `epsilon: 0.001` to match a Keras model.
 */
export const LAYER_NORM_EPSILON = 1e-5;

/** The shape of gamma and beta: the normalised axis's size, broadcast over the axes after it ([D] for the last axis). */
function parameterShape(shape: readonly Dim[], axis: number): number[] {
  return [shape[axis] as number, ...shape.slice(axis + 1).map(() => 1)];
}

function axisOf(attrs: Attrs, rank: number): number | undefined {
  return normaliseAxis((attrs['axis'] as number | undefined) ?? -1, rank);
}

export const layerNorm: OpDefinition = {
  name: 'layer_norm',
  summary: 'normalises each example over an axis to mean 0 and variance 1, then scales by gamma and shifts by beta, both learned (Keras LayerNormalization, torch.nn.LayerNorm)',
  inputs: { min: 1, max: 1, description: 'a float32 tensor, [batch, ..., features]' },
  attributes: (b) => ({
    axis: b.axis({ description: 'the axis whose values are normalised together; negative counts from the last', default: -1 }),
    epsilon: b.number({ description: 'added to the variance before the square root (PyTorch\'s default; Keras uses 0.001)', exclusiveMinimum: 0, default: LAYER_NORM_EPSILON }),
    center: b.boolean({ description: 'add the learned offset beta', default: true }),
    scale: b.boolean({ description: 'multiply by the learned scale gamma', default: true }),
    gamma_init: b.initializer({ description: 'gamma\'s initializer (default {constant: 1})', examples: [{ constant: 1 }] }),
    beta_init: b.initializer({ description: 'beta\'s initializer (default zeros)', examples: ['zeros'] }),
  }),
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    if (x.type.dtype !== 'float32') return ctx.error('GC501', { op: 'layer_norm', kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: x.name, actual: x.type.dtype, castFirst: true }, 'inputs/0');
    const rank = x.type.shape.length;
    if (rank < 2) return ctx.error('GC503', { op: 'layer_norm', input: x.name, rank, expected: 'at least 2 ([batch, features]): it normalises within each example' }, 'inputs/0');
    const axis = axisOf(ctx.attrs, rank);
    if (axis === undefined) return ctx.error('GC505', { op: 'layer_norm', axis: ctx.attrs['axis'] as number, rank }, 'axis');
    // Axis 0 is the batch: normalising over it would mix examples (that is batch norm).
    if (axis === 0 || x.type.shape[axis] === null) return ctx.error('GC545', { op: 'layer_norm', input: x.name, axis }, ctx.attrs['axis'] === undefined ? 'inputs/0' : 'axis');
    return x.type;
  },
  variables: (ctx) => {
    const x = ctx.inputTypes[0]!;
    const axis = axisOf(ctx.attrs, x.shape.length)!;
    const shape = parameterShape(x.shape, axis);
    const rank = `tf.Rank.R${shape.length}`;
    const size = shape[0]!;
    const parts: string[] = [];
    if (ctx.attrs['scale'] !== false) parts.push(`gamma: init.variable<${rank}>(${literal(`${ctx.node}/gamma`)}, ${literal(shape)}, ${initializerLiteral(ctx.attrs['gamma_init'] ?? { constant: 1 }, 'zeros')})`);
    if (ctx.attrs['center'] !== false) parts.push(`beta: init.variable<${rank}>(${literal(`${ctx.node}/beta`)}, ${literal(shape)}, ${initializerLiteral(ctx.attrs['beta_init'], 'zeros')})`);
    return { tsType: 'nn.LayerNormWeights', create: parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`, parameters: size * parts.length };
  },
  lower: (ctx) => {
    const axis = axisOf(ctx.attrs, ctx.inputTypes[0]!.shape.length)!;
    return `nn.layerNorm(${ctx.inputs[0]}, ${ctx.variables}, ${axis}, ${literal(ctx.attrs['epsilon'] ?? LAYER_NORM_EPSILON)})`;
  },
  runtime: ['nn'],
};
