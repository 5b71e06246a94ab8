/**
 * graphc's replacements of stock wasm kernels must not change tfjs's
 * results: a slice of tfjs's own op semantics (matmul with every transpose
 * combination and batch broadcasting; slice, split and unstack shapes and
 * edge cases; identity and cast over dtypes, but for casts to bool, which stock
 * wasm gets wrong; tanh over its range) runs
 * through the replacement and through the stock kernel, in one process, and
 * must agree. Views (copy-free slices) must free their memory with their
 * last reference, in any disposal order.
 */
import { registerGraphcKernels } from '../../../../src/runtime/kernels/index.js';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stockKernel } from '../../../../src/runtime/kernels/registry.js';
import { WASM_KERNELS } from '../../../../src/runtime/kernels/wasm/index.js';
import { tf } from '../../../../src/runtime/tf.js';

type Values = number[] | string[] | Uint8Array;

/** Runs f with the stock kernel registered in place of graphc's, then restores graphc's. */
function withStock<T>(kernelName: string, f: () => T): T {
  const ours = tf.getKernel(kernelName, 'wasm')!;
  const stock = stockKernel(kernelName, 'wasm')!;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(stock);
  // Stock kernels set themselves up when the backend initialises; do it for this instance.
  stock.setupFunc?.(tf.backend());
  try {
    return f();
  } finally {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(ours);
  }
}

/** Every output of f, as plain arrays with shape and dtype, disposing the tensors. */
function evaluate(f: () => tf.Tensor | tf.Tensor[]): Array<{ shape: number[]; dtype: string; values: Values }> {
  return tf.tidy(() => {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) as Values }));
  });
}

/** f through graphc's kernel and through the stock one: [ours, stock]. */
function both(kernelName: string, f: () => tf.Tensor | tf.Tensor[]): [ReturnType<typeof evaluate>, ReturnType<typeof evaluate>] {
  return [evaluate(f), withStock(kernelName, () => evaluate(f))];
}

function expectSame(kernelName: string, f: () => tf.Tensor | tf.Tensor[]): void {
  const [ours, stock] = both(kernelName, f);
  expect(ours).toEqual(stock);
}

function expectClose(kernelName: string, f: () => tf.Tensor | tf.Tensor[], relative: number, absolute = 0): void {
  const [ours, stock] = both(kernelName, f);
  expect(ours.map(({ shape, dtype }) => ({ shape, dtype }))).toEqual(stock.map(({ shape, dtype }) => ({ shape, dtype })));
  ours.forEach((o, k) => {
    const [a, e] = [o.values as number[], stock[k]!.values as number[]];
    const scale = Math.max(...e.map(Math.abs), 1e-30);
    a.forEach((v, i) => {
      if (Number.isNaN(e[i]!)) expect(v).toBeNaN();
      else expect(Math.abs(v - e[i]!), `element ${i}: ${v} vs ${e[i]}`).toBeLessThanOrEqual(Math.max(relative * scale, absolute));
    });
  });
}

/** Deterministic values in [-2, 2). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
}

const tensor = (shape: number[], seed = 1, dtype: 'float32' | 'int32' | 'bool' = 'float32'): tf.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values(n, seed);
  if (dtype === 'float32') return tf.tensor(v, shape, 'float32');
  if (dtype === 'int32') return tf.tensor(v.map((x) => Math.round(x * 50)), shape, 'int32');
  return tf.tensor(v.map((x) => x > 0), shape, 'bool');
};

let baseline: { tensors: number; buffers: number; dataIds: number };

beforeAll(async () => {
  registerGraphcKernels('wasm');
  expect(await tf.setBackend('wasm')).toBe(true);
  baseline = { tensors: tf.memory().numTensors, buffers: tf.memory().numDataBuffers, dataIds: tf.backend().numDataIds() };
});

beforeEach(() => {
  tf.engine().startScope();
});

afterEach(() => {
  // Once a test's tensors are gone, so must be all their memory: no data buffer, no backend entry left.
  tf.engine().endScope();
  expect(tf.memory().numTensors).toBe(baseline.tensors);
  expect(tf.memory().numDataBuffers).toBe(baseline.buffers);
  expect(tf.backend().numDataIds()).toBe(baseline.dataIds);
});

describe('the replaced kernels', () => {
  it('replace stock kernels that exist, and remember them', () => {
    for (const config of WASM_KERNELS.filter((k) => !k.kernelName.startsWith('Graphc'))) {
      expect(tf.getKernel(config.kernelName, 'wasm')).toBe(config);
      expect(stockKernel(config.kernelName, 'wasm')).toBeDefined();
    }
  });
});

describe('BatchMatMul', () => {
  const cases: Array<[number[], number[]]> = [
    // a (untransposed), b (untransposed)
    [[3, 4], [4, 5]],
    [[1, 7], [7, 1]],
    [[6, 1], [1, 6]],
    [[17, 33], [33, 9]],
    [[2, 3, 4], [2, 4, 5]],
    [[1, 3, 4], [3, 4, 5]],
    [[3, 3, 4], [1, 4, 5]],
    [[3, 4], [2, 4, 5]],
    [[2, 3, 4], [4, 5]],
    [[2, 2, 3, 4], [2, 2, 4, 5]],
    [[4, 40, 30], [4, 30, 20]],
    // graphc's GEMM: rows past its 96-row M block, k past its 256-row K block, ragged 8-column panels
    [[2, 101, 300], [300, 13]],
  ];
  const transposed = (shape: number[]): number[] => [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!];
  for (const [aShape, bShape] of cases) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`[${aShape}] @ [${bShape}] transposeA=${transposeA} transposeB=${transposeB}`, () => {
          const a = tensor(transposeA ? transposed(aShape) : aShape, 3);
          const b = tensor(transposeB ? transposed(bShape) : bShape, 4);
          expectClose(tf.BatchMatMul, () => tf.matMul(a, b, transposeA, transposeB), 1e-5);
          tf.dispose([a, b]);
        });
      }
    }
  }

  it('broadcasts batch dimensions that tfjs flattens wrongly ([2,1] with [1,3]) to the true product', () => {
    // tfjs's stock kernels (cpu and wasm) return 45 values for this [2, 3, 3, 5] product; ours computes all 90.
    const a = tensor([2, 1, 3, 4], 1);
    const b = tensor([1, 3, 4, 5], 2);
    const product = tf.matMul(a, b);
    expect(product.shape).toEqual([2, 3, 3, 5]);
    const aMatrices = tf.unstack(tf.reshape(a, [2, 3, 4]));
    const bMatrices = tf.unstack(tf.reshape(b, [3, 4, 5]));
    const expected = tf.stack(aMatrices.map((am) => tf.stack(bMatrices.map((bm) => tf.matMul(am, bm)))));
    expect(Math.max(...tf.abs(tf.sub(product, expected)).dataSync())).toBeLessThan(1e-5);
  });

  it('a weight used transposed again and again (its transposed copy is cached), then freed', () => {
    const w = tensor([30, 20], 5);
    const xs = [1, 2, 3].map((s) => tensor([4, 20], s));
    for (const x of xs) expectClose(tf.BatchMatMul, () => tf.matMul(x, w, false, true), 1e-5);
    tf.dispose([w, ...xs]);
  });

  it('a reshaped weight (same data, another shape) is not mistaken for its cached transpose', () => {
    const w = tensor([6, 4], 5);
    const x = tensor([3, 4], 6);
    const y = tensor([3, 6], 7);
    for (let i = 0; i < 3; i++) expectClose(tf.BatchMatMul, () => tf.matMul(x, w, false, true), 1e-5);
    const reshaped = tf.reshape(w, [4, 6]);
    for (let i = 0; i < 3; i++) expectClose(tf.BatchMatMul, () => tf.matMul(y, reshaped, false, true), 1e-5);
  });

  it('gives the gradients of a product the stock kernel gives', () => {
    const a = tensor([5, 6], 1);
    const b = tensor([6, 7], 2);
    expectClose(tf.BatchMatMul, () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a, b]), 1e-5);
    tf.dispose([a, b]);
  });

  it('leaves zero-size and int32 products to the stock kernel', () => {
    const [a, b] = [tf.zeros([0, 3]), tf.zeros([3, 4])];
    expectSame(tf.BatchMatMul, () => tf.matMul(a, b, false, false));
    expect(() => tf.matMul(tf.tensor([[1]], [1, 1], 'int32'), tf.tensor([[1]], [1, 1], 'int32'), true, false)).toThrow(/float32/);
    tf.dispose([a, b]);
  });
});

describe('Slice', () => {
  const cases: Array<[number[], number[], number[]]> = [
    // shape, begin, size
    [[10], [3], [4]],
    [[10], [0], [-1]],
    [[4, 5], [1, 0], [2, 5]],
    [[4, 5], [1, 1], [2, 3]],
    [[4, 5], [0, 4], [4, 1]],
    [[4, 5], [2, 0], [1, -1]],
    [[3, 4, 5], [1, 0, 0], [1, 4, 5]],
    [[3, 4, 5], [0, 1, 0], [3, 2, 5]],
    [[3, 4, 5], [1, 2, 3], [2, 2, 2]],
    [[2, 3, 4, 5], [1, 1, 0, 0], [1, 2, 4, 5]],
    [[2, 3, 4, 5], [0, 1, 2, 3], [2, 2, 2, 2]],
    [[2, 2, 2, 3, 4], [1, 0, 1, 1, 1], [1, 2, 1, 2, 3]],
    [[3, 4], [1, 1], [0, 2]],
    [[1, 1, 6], [0, 0, 2], [1, 1, 3]],
  ];
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    for (const [shape, begin, size] of cases) {
      it(`${dtype} [${shape}] from [${begin}] size [${size}]`, () => {
        const x = tensor(shape, 7, dtype);
        expectSame(tf.Slice, () => tf.slice(x, begin, size));
        tf.dispose(x);
      });
    }
  }

  it('strings go to the stock kernel', () => {
    const x = tf.tensor(['a', 'b', 'c', 'd'], [2, 2]);
    expectSame(tf.Slice, () => tf.slice(x, [1, 0], [1, 2]));
    x.dispose();
  });

  it('a view outlives its source, and views of views read the right memory', () => {
    const x = tensor([6, 5], 9);
    const expected = Array.from(x.dataSync()).slice(10, 25);
    const view = tf.slice(x, [2, 0], [3, 5]);
    const inner = tf.slice(view, [1, 0], [2, 5]);
    x.dispose();
    expect(Array.from(view.dataSync())).toEqual(expected);
    view.dispose();
    expect(Array.from(inner.dataSync())).toEqual(expected.slice(5, 15));
    // Computing on a view (the wasm kernels read it by its own id).
    const doubled = tf.mul(inner, 2);
    expect(Array.from(doubled.dataSync())).toEqual(expected.slice(5, 15).map((v) => v * 2));
    tf.dispose([inner, doubled]);
  });

  it('a view survives tidy and keeps what it shares alive', () => {
    const kept = tf.tidy(() => tf.slice(tensor([4, 3], 2), [1, 0], [2, 3]));
    const reference = tf.tidy(() => Array.from(tensor([4, 3], 2).dataSync()).slice(3, 9));
    expect(Array.from(kept.dataSync())).toEqual(reference);
    kept.dispose();
  });
});

describe('SplitV', () => {
  const cases: Array<[number[], number[] | number, number]> = [
    [[6, 4], [2, 4], 0],
    [[6, 4], 3, 0],
    [[6, 4], [1, 3], 1],
    [[6, 4], [1, -1], 1],
    [[2, 6, 4], [3, 3], 1],
    [[2, 6, 4], [2, 1, 1], -1],
    [[4, 2, 3], [1, 1, 2], 0],
    [[1, 6, 2], [2, 4], 1],
  ];
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    for (const [shape, splits, axis] of cases) {
      it(`${dtype} [${shape}] into ${JSON.stringify(splits)} along ${axis}`, () => {
        const x = tensor(shape, 11, dtype);
        expectSame(tf.SplitV, () => tf.split(x, splits, axis));
        x.dispose();
      });
    }
  }

  it('gives the gradient the stock kernel gives', () => {
    const x = tensor([3, 6], 4);
    expectSame(tf.SplitV, () => tf.grad((t: tf.Tensor) => {
      const [a, b] = tf.split(t, [2, 4], 1) as [tf.Tensor, tf.Tensor];
      return tf.add(tf.sum(tf.square(a)), tf.sum(tf.mul(b, 3)));
    })(x));
    x.dispose();
  });
});

describe('Unpack', () => {
  const cases: Array<[number[], number]> = [
    [[5], 0],
    [[4, 3], 0],
    [[4, 3], 1],
    [[4, 3], -1],
    [[2, 5, 3], 0],
    [[2, 5, 3], 1],
    [[2, 5, 3], 2],
    [[1, 4, 2], 1],
    [[3, 1, 2, 2], 1],
  ];
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    for (const [shape, axis] of cases) {
      it(`${dtype} [${shape}] along ${axis}`, () => {
        const x = tensor(shape, 13, dtype);
        expectSame(tf.Unpack, () => tf.unstack(x, axis));
        x.dispose();
      });
    }
  }

  it('gives the gradient the stock kernel gives', () => {
    const x = tensor([3, 4, 2], 6);
    expectSame(tf.Unpack, () => tf.grad((t: tf.Tensor) => tf.addN(tf.unstack(t, 1).map((s, i) => tf.mul(tf.sum(s), i + 1))) as tf.Scalar)(x));
    x.dispose();
  });
});

describe('Identity and Cast', () => {
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it(`identity of ${dtype}, the clone outliving its source`, () => {
      const make = (): tf.Tensor[] => {
        const x = tensor([3, 4], 2, dtype);
        const y = tf.clone(x);
        x.dispose();
        return [y];
      };
      expectSame(tf.Identity, make);
    });
    for (const to of ['float32', 'int32', 'bool'] as const) {
      // Stock wasm's cast to bool keeps the low byte (-1 → 255); graphc's is x ≠ 0, as TF's and the cpu backend's.
      const toBool = to === 'bool' && dtype !== 'bool';
      it(toBool ? `cast ${dtype} → bool is x ≠ 0 (where the stock kernel is wrong)` : `cast ${dtype} → ${to}`, () => {
        const x = tensor([2, 5], 3, dtype);
        if (toBool) expect(evaluate(() => tf.cast(x, to))[0]!.values).toEqual(Array.from(x.dataSync()).map((v) => (v !== 0 ? 1 : 0)));
        else expectSame(tf.Cast, () => tf.cast(x, to));
        x.dispose();
      });
    }
  }

  it('identity of strings', () => {
    const x = tf.tensor(['p', 'q'], [2]);
    expectSame(tf.Identity, () => tf.clone(x));
    x.dispose();
  });

  it('gradients saved through Identity stay correct after their sources are gone', () => {
    const x = tensor([4, 4], 8);
    expectSame(tf.Identity, () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(t), tf.tanh(t))))(x));
    x.dispose();
  });
});

describe('Tanh', () => {
  it('matches libm tanh within 2.5e-7 absolute and 2e-6 relative over its range', () => {
    const xs = [0, -0, 1e-30, -1e-7, 1e-4, 0.05, -0.0999, 0.1, 0.1001, 0.3, -0.7, 1, 2.5, -4, 9, 15, -20, 88, 1e6, -1e6, ...values(2000, 21).map((v) => v * 5)];
    const x = tf.tensor(xs);
    const [[ours], [stock]] = both(tf.Tanh, () => tf.tanh(x));
    (ours!.values as number[]).forEach((v, i) => {
      const e = (stock!.values as number[])[i]!;
      expect(Math.abs(v - e), `tanh(${xs[i]}) = ${v}, libm ${e}`).toBeLessThanOrEqual(Math.max(2.5e-7, 2e-6 * Math.abs(e)));
      if (Math.abs(xs[i]!) < 0.1) expect(Math.abs(v - e)).toBeLessThanOrEqual(2e-7 * Math.abs(e));
    });
    x.dispose();
  });

  it('passes NaN and ±Infinity through as tanh does', () => {
    const x = tf.tensor([NaN, Infinity, -Infinity]);
    expectSame(tf.Tanh, () => tf.tanh(x));
    x.dispose();
  });
});
