/**
 * Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter on graphc's GEMM
 * (src/runtime/kernels/wasm/conv2d_gemm.ts) give the values and gradients of
 * the stock kernels: tfjs's cpu kernels, and tfjs-wasm's own (XNNPACK's
 * convolution, called directly), over strides, SAME and VALID padding,
 * channels of one and many, blocks of patch rows (a batch larger than one
 * block) and Conv1D (lowered to Conv2D).
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import { callStock } from '../../../../src/runtime/kernels/registry.js';
import { CONV_ENV } from '../../../../src/runtime/kernels/wasm/conv2d_gemm.js';
import { WasmHeap } from '../../../../src/runtime/kernels/wasm/heap.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues, relativeError } from '../../rnn/helpers.js';

type Pad = 'same' | 'valid';
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** y, dx and dW of sum(conv2d(x, W) · mask) on a backend. */
async function convAndGradients(backend: string, xs: number[], xShape: number[], ws: number[], wShape: number[], strides: [number, number], pad: Pad) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, xShape as [number, number, number, number]);
    const w = tf.tensor4d(ws, wShape as [number, number, number, number]);
    const y = tf.conv2d(x, w, strides, pad);
    const mask = tf.tensor(randomValues(y.size, 7), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), mask)))([x, w]);
    return { y: y.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  });
}

describe("convolutions on graphc's GEMM", () => {
  beforeAll(async () => {
    registerGraphcKernels('wasm');
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(WasmHeap.of(tf.backend()).gemm).toBeDefined();
  });

  const cases: Array<{ x: number[]; filter: number[]; strides: [number, number]; pad: Pad }> = [
    { x: [2, 8, 8, 1], filter: [5, 5, 1, 4], strides: [1, 1], pad: 'same' }, // the MNIST CNN's first layer, small
    { x: [3, 7, 6, 3], filter: [3, 2, 3, 5], strides: [1, 1], pad: 'same' },
    { x: [2, 9, 7, 2], filter: [3, 3, 2, 3], strides: [2, 2], pad: 'same' },
    { x: [2, 8, 9, 2], filter: [3, 4, 2, 2], strides: [2, 3], pad: 'same' },
    { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: [2, 2], pad: 'valid' },
    { x: [1, 10, 6, 1], filter: [4, 2, 1, 2], strides: [3, 2], pad: 'valid' },
    { x: [2, 6, 6, 9], filter: [1, 1, 9, 11], strides: [1, 1], pad: 'valid' },
    // 60·28·28 = 47040 patch rows of 5·5 = 25: two blocks of patches (2²⁰ floats each).
    { x: [60, 28, 28, 1], filter: [5, 5, 1, 2], strides: [1, 1], pad: 'same' },
  ];
  for (const c of cases) {
    it(`x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides.join('×')}, ${c.pad}: y, dx and dW as the cpu kernels give them`, async () => {
      const xs = randomValues(size(c.x), 11, 1.5);
      const ws = randomValues(size(c.filter), 3);
      const expected = await convAndGradients('cpu', xs, c.x, ws, c.filter, c.strides, c.pad);
      const heap = WasmHeap.of(tf.findBackend('wasm')!);
      const gemmCalls = vi.spyOn(heap, 'gemmPacked');
      try {
        const actual = await convAndGradients('wasm', xs, c.x, ws, c.filter, c.strides, c.pad);
        // Forward, the input gradient and the filter gradient: at least one GEMM each.
        expect(gemmCalls.mock.calls.length).toBeGreaterThanOrEqual(3);
        for (const key of ['y', 'dx', 'dw'] as const) {
          expect(actual[key].length, key).toBe(expected[key].length);
          expect(relativeError(actual[key], expected[key]), key).toBeLessThan(1e-5);
        }
      } finally {
        gemmCalls.mockRestore();
      }
    });
  }

  it("gives what tfjs-wasm's own Conv2D and Conv2DBackpropInput (XNNPACK) give", async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor4d(randomValues(2 * 9 * 9 * 4, 5), [2, 9, 9, 4]);
    const w = tf.tensor4d(randomValues(3 * 3 * 4 * 6, 6), [3, 3, 4, 6]);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
    const run = (kernel: string, stock: boolean, inputs: tf.NamedTensorInfoMap, a: object): Float32Array => {
      const args = { inputs, backend, attrs: a as tf.NamedAttrMap };
      const out = (stock ? callStock(kernel, 'wasm', args) : tf.getKernel(kernel, 'wasm')!.kernelFunc(args)) as tf.TensorInfo;
      const values = backend.readSync(out.dataId) as Float32Array;
      backend.disposeData(out.dataId);
      return values;
    };
    const ours = run(tf.Conv2D, false, { x, filter: w }, attrs);
    const stock = run(tf.Conv2D, true, { x, filter: w }, attrs);
    expect(relativeError(ours, stock)).toBeLessThan(1e-5);
    const dy = tf.tensor4d(randomValues(2 * 5 * 5 * 6, 8), [2, 5, 5, 6]);
    const inputAttrs = { ...attrs, inputShape: [2, 9, 9, 4] };
    const oursDx = run(tf.Conv2DBackpropInput, false, { dy, filter: w }, inputAttrs);
    const stockDx = run(tf.Conv2DBackpropInput, true, { dy, filter: w }, inputAttrs);
    expect(relativeError(oursDx, stockDx)).toBeLessThan(1e-5);
    tf.dispose([x, w, dy]);
  });

  it('runs Conv1D (tfjs lowers it to Conv2D) with its gradients', async () => {
    const [xs, ws] = [randomValues(3 * 20 * 4, 1), randomValues(5 * 4 * 6, 2)];
    const result = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor3d(xs, [3, 20, 4]);
        const w = tf.tensor3d(ws, [5, 4, 6]);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 2, 'same'))))([x, w]);
        return [tf.conv1d(x, w, 2, 'same'), dx!, dw!].map((t) => t.dataSync() as Float32Array);
      });
    };
    const expected = await result('cpu');
    const actual = await result('wasm');
    actual.forEach((a, i) => expect(relativeError(a, expected[i]!)).toBeLessThan(1e-5));
  });

  it('leaves the convolutions to the stock kernels with GRAPHC_WASM_CONV=stock', async () => {
    await tf.setBackend('wasm');
    const heap = WasmHeap.of(tf.backend());
    const gemmCalls = vi.spyOn(heap, 'gemmPacked');
    process.env[CONV_ENV] = 'stock';
    try {
      const x = tf.randomUniform([2, 8, 8, 2]) as tf.Tensor4D;
      const w = tf.randomUniform([3, 3, 2, 4]) as tf.Tensor4D;
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]);
      expect(gemmCalls).not.toHaveBeenCalled();
      tf.dispose([x, w, dx!, dw!]);
    } finally {
      delete process.env[CONV_ENV];
      gemmCalls.mockRestore();
    }
  });

  it('frees what it allocates', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomUniform([2, 8, 8, 2]) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, 2, 4]) as tf.Tensor4D;
    const before = tf.engine().backend.numDataIds();
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid')))([x, w]);
    tf.dispose([dx!, dw!]);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([x, w]);
  });
});
