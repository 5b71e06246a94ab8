/**
 * The fused whole-sequence LSTM kernels (GraphcLstmSequence and its gradient)
 * of each backend must agree with TF BasicLSTMCell unrolled in tfjs ops
 * (autodiff), on outputs and every gradient, forward and reverse, with and
 * without a forget bias. Metric: max|fused − ref| / max|ref| per tensor < 1e-5.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from '../../../../src/runtime/kernels/cpu/index.js';
import { registerWasmKernels } from '../../../../src/runtime/kernels/wasm/index.js';
import { timeOrder } from '../../../../src/runtime/rnn/gru.js';
import { tf } from '../../../../src/runtime/tf.js';
import { expectClose, outputAndGrads, randomTensor } from '../../rnn/helpers.js';

const LSTM_SEQUENCE = 'GraphcLstmSequence';
const LSTM_SEQUENCE_GRAD = 'GraphcLstmSequenceGrad';

/** BasicLSTMCell over x [B, T, I] from zero state, op for op (gates i, j, f, o). */
function compositeLstm(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, reverse: boolean, forgetBias: number): tf.Tensor {
  const [batch, steps, inputSize] = x.shape as [number, number, number];
  const units = bias.shape[0]! / 4;
  // tfjs's unstack gradient breaks for a single output, hence the reshape for T = 1.
  const inputs = steps === 1 ? [tf.reshape(x, [batch, inputSize])] : tf.unstack(x, 1);
  let h: tf.Tensor = tf.zeros([batch, units]);
  let c: tf.Tensor = tf.zeros([batch, units]);
  const outputs = new Array<tf.Tensor>(steps);
  for (const t of timeOrder(steps, reverse)) {
    const gates = tf.add(tf.matMul(tf.concat([inputs[t]!, h], 1), kernel), bias);
    const [i, j, f, o] = tf.split(gates, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    c = tf.add(tf.mul(c, tf.sigmoid(tf.add(f, forgetBias))), tf.mul(tf.sigmoid(i), tf.tanh(j)));
    h = tf.mul(tf.tanh(c), tf.sigmoid(o));
    outputs[t] = h;
  }
  return tf.stack(outputs, 1);
}

function fusedLstm(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, reverse: boolean, forgetBias: number): tf.Tensor {
  const [h] = tf.engine().runKernel(LSTM_SEQUENCE, { x, kernel, bias }, { reverse, forgetBias }) as tf.Tensor[];
  return h!;
}

beforeAll(() => {
  registerCpuKernels();
  registerWasmKernels();
  // The contract's gradient, as kernels/lstm_sequence.ts registers it (that module lands with the LSTM cells).
  if (tf.getGradient(LSTM_SEQUENCE) === undefined) {
    tf.registerGradient({
      kernelName: LSTM_SEQUENCE,
      inputsToSave: ['x', 'kernel', 'bias'],
      outputsToSave: [true, true],
      gradFunc: (dy, saved, attrs) => {
        const dh = Array.isArray(dy) ? dy[0]! : dy;
        const [x, kernel, bias, h, state] = saved as tf.Tensor[];
        const inputs = { dh, x: x!, kernel: kernel!, bias: bias!, h: h!, saved: state! };
        const [dx, dKernel, dBias] = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        return { x: () => dx!, kernel: () => dKernel!, bias: () => dBias! };
      },
    });
  }
});

const SHAPES: Array<[number, number, number, number]> = [
  // B, T, I, H
  [3, 4, 5, 6],
  [1, 1, 2, 3],
  [4, 7, 3, 8],
  [2, 5, 9, 2],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`GraphcLstmSequence on ${backend} ≡ composite BasicLSTMCell`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    for (const [b, t, i, h] of SHAPES) {
      for (const reverse of [false, true]) {
        for (const forgetBias of [1, 0]) {
          it(`B=${b} T=${t} I=${i} H=${h} ${reverse ? 'reverse' : 'forward'} forget_bias=${forgetBias}: outputs, dx, dKernel, dBias`, async () => {
            const inputs = [randomTensor([b, t, i], 11 + b * t, 1.2), randomTensor([i + h, 4 * h], 3 * h + i, 0.6), randomTensor([4 * h], 5 + h, 0.5)];
            const run = (fn: typeof fusedLstm) => (x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => fn(x, kernel, bias, reverse, forgetBias);
            const reference = await outputAndGrads(run(compositeLstm) as (...xs: tf.Tensor[]) => tf.Tensor, inputs, 9);
            const fused = await outputAndGrads(run(fusedLstm) as (...xs: tf.Tensor[]) => tf.Tensor, inputs, 9);
            expect(fused.value.length).toBe(b * t * h);
            expectClose(fused, reference);
            tf.dispose(inputs);
          });
        }
      }
    }

    it('rejects a kernel that does not fit the bias', () => {
      const [x, kernel, bias] = [randomTensor([2, 3, 4], 1), randomTensor([9, 12], 2), randomTensor([12], 3)];
      expect(() => fusedLstm(x, kernel, bias, false, 1)).toThrow(/kernel.*\[9, 12\], expected \[7, 12\]/);
      tf.dispose([x, kernel, bias]);
    });
  });
}
