/**
 * GraphcDropout on webgpu: every element is 0 or x / keep (as the composite
 * computes it), about `keep` of them kept, the same mask for the same seed and
 * an unrelated one for another seed, and the gradient masks dy the same way.
 */
import { describe, expect, it } from 'vitest';
import { hasFusedDropout } from '../../../../src/runtime/kernels/dropout.js';
import { dropout, dropoutMask } from '../../../../src/runtime/rnn/dropout.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues } from '../../rnn/helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const gpu = await webgpuForTests();
const SHAPE = [40, 28, 100]; // 112,000 elements: the kept fraction's standard deviation is about 0.0015
const SIZE = 40 * 28 * 100;

/** Which elements dropout(x) kept, checking each value is 0 or x / keep. */
function keptMask(x: Float32Array, y: Float32Array, keep: number): boolean[] {
  let worst = 0;
  const mask = Array.from(y, (v, i) => {
    if (v !== 0) worst = Math.max(worst, Math.abs(v - x[i]! / keep) / Math.abs(x[i]! / keep));
    return v !== 0;
  });
  expect(worst).toBeLessThanOrEqual(1e-6);
  return mask;
}

const fraction = (mask: readonly boolean[]): number => mask.filter(Boolean).length / mask.length;

describe.skipIf(!gpu.available)(`GraphcDropout on webgpu${gpu.titleSuffix}`, () => {
  it('keeps about keep of the elements, scaled by 1 / keep; same seed, same mask; another seed, an independent mask', async () => {
    await onBackend('webgpu', async () => {
      expect(hasFusedDropout()).toBe(true);
      // No zeros in x, so a zero in y means dropped.
      const values = Float32Array.from(randomValues(SIZE, 3), (v) => v + Math.sign(v) * 0.5);
      const x = tf.tensor(values, SHAPE);
      for (const keep of [0.5, 0.8]) {
        const [a, b, c] = await Promise.all([dropout(x, keep, 1234), dropout(x, keep, 1234), dropout(x, keep, 1235)].map(async (t) => {
          const data = (await t.data()) as Float32Array;
          t.dispose();
          return keptMask(values, data, keep);
        }));
        expect(Math.abs(fraction(a!) - keep)).toBeLessThan(0.01);
        expect(b).toEqual(a);
        // Independent masks agree with probability keep² + (1 − keep)².
        const agree = a!.filter((k, i) => k === c![i]).length / SIZE;
        expect(Math.abs(agree - (keep * keep + (1 - keep) * (1 - keep)))).toBeLessThan(0.01);
      }
      x.dispose();
    });
  });

  it('draws the masks the CPU backends draw (one hash for every backend)', async () => {
    await onBackend('webgpu', async () => {
      const x = tf.ones(SHAPE);
      for (const [keep, seed] of [[0.5, 77], [0.7, 4321]] as const) {
        const y = dropout(x, keep, seed);
        const kept = Array.from((await y.data()) as Float32Array, (v) => (v === 0 ? 0 : 1));
        expect(kept).toEqual(Array.from(dropoutMask(SHAPE, keep, seed, 0)));
        y.dispose();
      }
      x.dispose();
    });
  });

  it('the gradient is dy masked and scaled as the forward pass', async () => {
    await onBackend('webgpu', async () => {
      const x = tf.tensor(randomValues(SIZE, 4), SHAPE);
      const dy = tf.tensor(randomValues(SIZE, 5), SHAPE);
      const keep = 0.5;
      const y = dropout(x, keep, 99);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dropout(t, keep, 99), dy)))(x);
      const [ys, dys, dxs] = (await Promise.all([y, dy, dx].map((t) => t.data()))) as Float32Array[];
      let worst = 0;
      let kept = 0;
      for (let i = 0; i < SIZE; i++) {
        const expected = ys![i] === 0 ? 0 : dys![i]! / keep;
        if (ys![i] !== 0) kept++;
        worst = Math.max(worst, Math.abs(dxs![i]! - expected) / Math.max(Math.abs(expected), 1e-30));
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
      expect(kept).toBeGreaterThan(0.45 * SIZE);
      tf.dispose([x, dy, y, dx]);
    });
  });
});
