/**
 * The wasm Conv2DBackpropFilter (a composite of wasm kernels) must give the
 * filter gradient tfjs's cpu kernel gives, for the paddings and strides a spec
 * can ask for, including VALID windows that leave rows and columns unread.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues, relativeError } from '../../rnn/helpers.js';

type Pad = 'same' | 'valid';

async function filterGradient(backend: string, x: number[], xShape: number[], filterShape: number[], strides: [number, number], pad: Pad): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const input = tf.tensor4d(x, xShape as [number, number, number, number]);
    const filter = tf.tensor4d(randomValues(filterShape.reduce((a, b) => a * b, 1), 3), filterShape as [number, number, number, number]);
    const output = tf.tidy(() => tf.conv2d(input, filter, strides, pad));
    const mask = tf.tensor(randomValues(output.size, 7), output.shape);
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input, f as tf.Tensor4D, strides, pad), mask)))(filter);
    return grad.dataSync() as Float32Array;
  });
}

describe('wasm Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    // Only the kernels stock tfjs-wasm lacks, as a stock (baseline) run gets them.
    registerGraphcKernels('wasm', { stock: true });
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  const cases: Array<{ x: number[]; filter: number[]; strides: [number, number]; pad: Pad }> = [
    { x: [2, 8, 8, 1], filter: [5, 5, 1, 4], strides: [1, 1], pad: 'same' },
    { x: [3, 7, 6, 3], filter: [3, 2, 3, 5], strides: [1, 1], pad: 'same' },
    { x: [2, 9, 7, 2], filter: [3, 3, 2, 3], strides: [2, 2], pad: 'same' },
    { x: [2, 8, 9, 2], filter: [3, 4, 2, 2], strides: [2, 3], pad: 'same' },
    { x: [2, 7, 7, 2], filter: [3, 3, 2, 3], strides: [1, 1], pad: 'valid' },
    // VALID with stride 2 over 8 rows reads only 7 of them: the unread row must be cropped, not padded.
    { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: [2, 2], pad: 'valid' },
    { x: [1, 10, 6, 1], filter: [4, 2, 1, 2], strides: [3, 2], pad: 'valid' },
  ];
  for (const c of cases) {
    it(`x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides.join('×')}, ${c.pad}: matches the cpu kernel within 1e-5`, async () => {
      const x = randomValues(c.x.reduce((a, b) => a * b, 1), 11, 1.5);
      const expected = await filterGradient('cpu', x, c.x, c.filter, c.strides, c.pad);
      const actual = await filterGradient('wasm', x, c.x, c.filter, c.strides, c.pad);
      expect(actual.length).toBe(c.filter.reduce((a, b) => a * b, 1));
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    });
  }

  it('frees its intermediate buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomUniform([2, 8, 8, 2]) as tf.Tensor4D;
    const filter = tf.randomUniform([3, 3, 2, 4]) as tf.Tensor4D;
    const before = tf.engine().backend.numDataIds();
    // Stride 2, VALID over 8 rows: the crop path too.
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 2, 'valid')))(filter);
    grad.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([x, filter]);
  });
});
