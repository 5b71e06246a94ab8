import { tsTensorType } from '../types/typescript.js';
import type { OpDefinition } from './op.js';
import { broadcastShapes } from './shared/elementwise.js';

export const where: OpDefinition = {
  name: 'where',
  summary: 'x where condition is true, y where it is false, elementwise (tf.where); the gradient reaches the chosen input only',
  example: { op: 'where', inputs: ['is_padding', 'zeros', 'scores'] },
  inputs: { min: 3, max: 3, description: 'condition (bool), x and y (one dtype); the three shapes broadcast together as in NumPy (see Broadcasting)' },
  attributes: () => ({}),
  infer: (ctx) => {
    const [condition, x, y] = ctx.inputs;
    if (!condition || !x || !y) return undefined;
    if (condition.type.dtype !== 'bool') {
      return ctx.error('GC501', { op: 'where', kind: 'wrong_dtype', role: 'input', expected: ['bool'], input: condition.name, actual: condition.type.dtype }, 'inputs/0');
    }
    if (x.type.dtype !== y.type.dtype) {
      return ctx.error('GC501', { op: 'where', kind: 'mixed', input: x.name, dtype: x.type.dtype, other: y.name, otherDtype: y.type.dtype }, 'inputs/2');
    }
    // Shapes that broadcast pairwise broadcast together, so the first pair that does not is the one to name.
    for (const [a, b] of [[condition, x], [x, y], [condition, y]] as const) {
      if (!broadcastShapes(a.type.shape, b.type.shape)) return ctx.error('GC506', { op: 'where', left: a.type.shape, right: b.type.shape }, 'inputs');
    }
    return { dtype: x.type.dtype, shape: broadcastShapes(broadcastShapes(condition.type.shape, x.type.shape)!, y.type.shape)! };
  },
  lower: (ctx) => `nn.where<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs.join(', ')})`,
  runtime: ['nn'],
};
