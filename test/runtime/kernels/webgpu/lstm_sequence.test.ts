/**
 * The webgpu GraphcLstmSequence kernels against a composite BasicLSTMCell
 * written with tfjs ops here (autodiff gives its gradients), run on the cpu
 * backend: outputs and the gradients of x, kernel and bias, relative error
 * < 1e-4, on small shapes. The gradient kernel is called directly with the
 * upstream gradient, since the kernel's tfjs gradient is registered by the
 * LSTM contract file (kernels/lstm_sequence.ts, issue 3), not here.
 */
import { describe, expect, it } from 'vitest';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '../../../../src/runtime/kernels/lstm_sequence.js';
import { tf } from '../../../../src/runtime/tf.js';
import { outputAndGrads, randomTensor, relativeError, type OutputAndGrads } from '../../rnn/helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const TOL = 1e-4;
const gpu = await webgpuForTests();

interface Case {
  readonly shape: readonly [number, number, number, number]; // B, T, I, H
  readonly reverse: boolean;
  readonly forgetBias: number;
}

/** TF1 BasicLSTMCell over x [B, T, I] from zero state, op for op: gates i, j, f, o. */
function compositeLstm(x: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D, c: Case): tf.Tensor3D {
  const [batch, steps, inputSize] = x.shape;
  const units = bias.shape[0] / 4;
  const inputs = steps === 1 ? [tf.reshape(x, [batch, inputSize]) as tf.Tensor2D] : (tf.unstack(x, 1) as tf.Tensor2D[]);
  const outputs = new Array<tf.Tensor2D>(steps);
  let h: tf.Tensor2D = tf.zeros([batch, units]);
  let cell: tf.Tensor2D = tf.zeros([batch, units]);
  const order = [...Array(steps).keys()];
  if (c.reverse) order.reverse();
  for (const t of order) {
    const z = tf.add(tf.matMul(tf.concat([inputs[t]!, h], 1), kernel), bias);
    const [i, j, f, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
    cell = tf.add(tf.mul(cell, tf.sigmoid(tf.add(f!, c.forgetBias))), tf.mul(tf.sigmoid(i!), tf.tanh(j!)));
    h = tf.mul(tf.tanh(cell), tf.sigmoid(o!));
    outputs[t] = h;
  }
  return tf.stack(outputs, 1) as tf.Tensor3D;
}

function caseInputs(c: Case): tf.Tensor[] {
  const [b, t, i, h] = c.shape;
  return [randomTensor([b, t, i], 100 + b * t, 1.2), randomTensor([i + h, 4 * h], 7 * h + i, 0.6), randomTensor([4 * h], 3 * h, 0.5)];
}

const UPSTREAM_SEED = 5;

async function reference(c: Case): Promise<OutputAndGrads> {
  const inputs = caseInputs(c);
  const result = await outputAndGrads((x, k, b) => compositeLstm(x as tf.Tensor3D, k as tf.Tensor2D, b as tf.Tensor1D, c), inputs, UPSTREAM_SEED);
  tf.dispose(inputs);
  return result;
}

async function fused(c: Case): Promise<OutputAndGrads> {
  const [x, kernel, bias] = caseInputs(c);
  const attrs = { reverse: c.reverse, forgetBias: c.forgetBias };
  const [h, saved] = tf.engine().runKernel(LSTM_SEQUENCE, { x: x!, kernel: kernel!, bias: bias! }, attrs) as tf.Tensor[];
  // The upstream gradient of sum(h ⊙ R) is R, drawn as outputAndGrads draws it.
  const dh = randomTensor(h!.shape, UPSTREAM_SEED);
  const grads = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, { dh, x: x!, kernel: kernel!, bias: bias!, h: h!, saved: saved! }, attrs) as tf.Tensor[];
  const result = { value: (await h!.data()) as Float32Array, grads: await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array)) };
  expect(grads.map((g) => g.shape)).toEqual([x!.shape, kernel!.shape, bias!.shape]);
  tf.dispose([x!, kernel!, bias!, h!, saved!, dh, ...grads]);
  return result;
}

describe.skipIf(!gpu.available)(`GraphcLstmSequence on webgpu ≡ composite BasicLSTMCell${gpu.titleSuffix}`, () => {
  const CASES: Case[] = [
    { shape: [3, 5, 4, 6], reverse: false, forgetBias: 1 },
    { shape: [3, 5, 4, 6], reverse: true, forgetBias: 1 },
    { shape: [2, 1, 3, 5], reverse: false, forgetBias: 0.5 },
    { shape: [2, 3, 3, 260], reverse: true, forgetBias: 1 },
  ];
  for (const c of CASES) {
    it(`B,T,I,H=${c.shape.join(',')} ${c.reverse ? 'reverse' : 'forward'} forget_bias=${c.forgetBias}: outputs and gradients of x, kernel, bias`, async () => {
      const expected = await onBackend('cpu', () => reference(c));
      const actual = await onBackend('webgpu', () => fused(c));
      expect(relativeError(actual.value, expected.value)).toBeLessThan(TOL);
      actual.grads.forEach((g, k) => expect(relativeError(g, expected.grads[k]!), `gradient ${k}`).toBeLessThan(TOL));
    });
  }
});
