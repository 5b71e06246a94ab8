import { literal } from '../types/typescript.js';
import { unaryFloatOp } from './shared/elementwise.js';
import { nnCall } from './shared/emit.js';

export const GELU_APPROXIMATIONS = ['none', 'tanh'] as const;

export const gelu = unaryFloatOp('gelu', 'gelu', 'the Gaussian error linear unit x·Φ(x), elementwise, exact (erf) or tanh-approximated (torch.nn.functional.gelu)', {
  example: { op: 'gelu', inputs: ['hidden'], approximate: 'tanh' },
  attributes: (b) => ({
    approximate: b.enumOf(GELU_APPROXIMATIONS, {
      description: 'none: x/2·(1 + erf(x/√2)); tanh: x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the form GPT-2 uses',
      default: 'none',
    }),
  }),
  lower: (ctx) => nnCall('gelu', ctx.type, [ctx.inputs[0]!, literal(ctx.attrs['approximate'] ?? 'none')]),
  runtime: ['nn'],
});
