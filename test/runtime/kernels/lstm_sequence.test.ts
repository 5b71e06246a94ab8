/**
 * The GraphcLstmSequence contract, as a backend kernel sees it: block_lstm
 * dispatches to registered kernels with the documented inputs, attrs and
 * outputs, and routes the grad kernel's outputs to x, kernel and bias. The
 * test kernels compute the float64 reference forward and mark each gradient
 * with a constant, so any mix-up of names or order shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fusedLstmSequence, hasFusedLstm, LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '../../../src/runtime/kernels/lstm_sequence.js';
import { blockLstmSequence } from '../../../src/runtime/rnn/index.js';
import { tf } from '../../../src/runtime/tf.js';
import { randomLstmWeights, randomTensor, referenceLstm, relativeError, type Matrix } from '../rnn/helpers.js';

interface CpuBackend {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

const SAVED_MARK = 42;
const calls: { kernel: string; attrs: Record<string, unknown>; inputs: string[]; saved?: number; dhSum?: number }[] = [];

function rows(values: Float32Array, shape: readonly number[]): number[][][] {
  const [b, t, i] = shape as [number, number, number];
  return Array.from({ length: b }, (_, bi) => Array.from({ length: t }, (_, ti) => Array.from(values.subarray((bi * t + ti) * i, (bi * t + ti + 1) * i))));
}

function matrix(values: Float32Array, shape: readonly number[]): Matrix {
  const [r, c] = shape as [number, number];
  return Array.from({ length: r }, (_, ri) => Array.from(values.subarray(ri * c, (ri + 1) * c)));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  tf.registerKernel({
    kernelName: LSTM_SEQUENCE,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackend;
      const { x, kernel, bias } = inputs as Record<string, tf.TensorInfo>;
      const a = attrs as unknown as { reverse: boolean; forgetBias: number };
      calls.push({ kernel: LSTM_SEQUENCE, attrs: { ...a }, inputs: Object.keys(inputs) });
      const h = referenceLstm(rows(cpu.readSync(x!.dataId), x!.shape), { kernel: matrix(cpu.readSync(kernel!.dataId), kernel!.shape), bias: Array.from(cpu.readSync(bias!.dataId)) }, a.reverse, a.forgetBias);
      const units = bias!.shape[0]! / 4;
      return [cpu.makeTensorInfo([x!.shape[0]!, x!.shape[1]!, units], 'float32', Float32Array.from(h.flat(2))), cpu.makeTensorInfo([1], 'float32', Float32Array.of(SAVED_MARK))];
    },
  });
  tf.registerKernel({
    kernelName: LSTM_SEQUENCE_GRAD,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackend;
      const named = inputs as Record<string, tf.TensorInfo>;
      calls.push({
        kernel: LSTM_SEQUENCE_GRAD,
        attrs: { ...(attrs as object) },
        inputs: Object.keys(inputs).sort(),
        saved: cpu.readSync(named['saved']!.dataId)[0]!,
        dhSum: cpu.readSync(named['dh']!.dataId).reduce((s, v) => s + v, 0),
      });
      const fill = (info: tf.TensorInfo, value: number): tf.TensorInfo =>
        cpu.makeTensorInfo([...info.shape], 'float32', new Float32Array(info.shape.reduce((p, d) => p * d, 1)).fill(value));
      return [fill(named['x']!, 1), fill(named['kernel']!, 2), fill(named['bias']!, 3)];
    },
  });
});

afterAll(() => {
  tf.unregisterKernel(LSTM_SEQUENCE, 'cpu');
  tf.unregisterKernel(LSTM_SEQUENCE_GRAD, 'cpu');
});

describe('GraphcLstmSequence dispatch', () => {
  it('is detected only on the backend that registers it', () => {
    expect(hasFusedLstm('cpu')).toBe(true);
    expect(hasFusedLstm('wasm')).toBe(false);
  });

  for (const reverse of [false, true]) {
    it(`${reverse ? 'reverse' : 'forward'}: runs the kernel with {reverse, forgetBias} and returns its h`, async () => {
      calls.length = 0;
      const x = randomTensor([2, 3, 4], 5) as tf.Tensor3D;
      const w = randomLstmWeights(4, 5, 9);
      const viaKernel = fusedLstmSequence(x, w, { reverse });
      expect(calls).toEqual([{ kernel: LSTM_SEQUENCE, attrs: { reverse, forgetBias: 1 }, inputs: ['x', 'kernel', 'bias'] }]);
      // The kernel computes the reference; the composite must agree with it.
      const composite = blockLstmSequence(x, w, { reverse });
      expect(viaKernel.shape).toEqual([2, 3, 5]);
      expect(relativeError(await viaKernel.data(), await composite.data())).toBeLessThan(1e-5);
      tf.dispose([x, w.kernel, w.bias, viaKernel, composite]);
    });
  }

  it('routes the grad kernel: inputs dh, x, kernel, bias, h, saved; outputs dx, dKernel, dBias', async () => {
    calls.length = 0;
    const x = randomTensor([2, 3, 4], 5) as tf.Tensor3D;
    const w = randomLstmWeights(4, 5, 9);
    const grads = tf.grads((xi: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
      tf.sum(fusedLstmSequence(xi as tf.Tensor3D, { kernel: k as tf.Tensor2D, bias: b as tf.Tensor1D }, { reverse: true, forgetBias: 0.5 })),
    )([x, w.kernel, w.bias]);
    const grad = calls.find((c) => c.kernel === LSTM_SEQUENCE_GRAD)!;
    expect(grad.inputs).toEqual(['bias', 'dh', 'h', 'kernel', 'saved', 'x']);
    expect(grad.attrs).toEqual({ reverse: true, forgetBias: 0.5 });
    expect(grad.saved).toBe(SAVED_MARK);
    expect(grad.dhSum).toBe(2 * 3 * 5);
    const values = await Promise.all(grads.map(async (g) => new Set(await g.data())));
    expect(values).toEqual([new Set([1]), new Set([2]), new Set([3])]);
    expect(grads.map((g) => g.shape)).toEqual([x.shape, w.kernel.shape, w.bias.shape]);
    tf.dispose([x, w.kernel, w.bias, ...grads]);
  });
});
