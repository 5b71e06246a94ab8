import { literal, tsTensorType } from '../types/typescript.js';
import { unaryFloatOp } from './shared/elementwise.js';

export const LEAKY_RELU_ALPHA = 0.2;

export const leakyRelu = unaryFloatOp('leaky_relu', 'leakyRelu', 'x where x > 0, alpha·x elsewhere, elementwise (tf.nn.leaky_relu)', {
  example: { op: 'leaky_relu', inputs: ['hidden'], alpha: 0.1 },
  attributes: (b) => ({
    alpha: b.number({ description: 'the slope below 0 (TF\'s default; Keras\'s LeakyReLU uses 0.3, PyTorch 0.01)', default: LEAKY_RELU_ALPHA, minimum: 0, examples: [0.1] }),
  }),
  lower: (ctx) => `tf.leakyRelu<${tsTensorType(ctx.type.shape.length)}>(${ctx.inputs[0]}, ${literal(ctx.attrs['alpha'] ?? LEAKY_RELU_ALPHA)})`,
});
