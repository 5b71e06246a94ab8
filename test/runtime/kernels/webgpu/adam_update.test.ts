/**
 * Adam on webgpu, through the fused GraphcAdamUpdate kernel, against Adam's
 * composite ops on the cpu backend: the same variables, m and v after several
 * steps (1e-6), and slot state that moves between the two layouts.
 */
import { describe, expect, it } from 'vitest';
import { hasFusedAdam } from '../../../../src/runtime/kernels/adam_update.js';
import { Adam, type AdamConfig, type AdamState } from '../../../../src/runtime/optim/index.js';
import { tf } from '../../../../src/runtime/tf.js';
import { randomValues, relativeError } from '../../rnn/helpers.js';
import { onBackend, webgpuForTests } from './helpers.js';

const gpu = await webgpuForTests();
const CONFIG: AdamConfig = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const SHAPES = [[3, 5], [7], [2, 3, 4], [70, 3]];

interface Trained {
  values: Float32Array[];
  state: AdamState;
}

/** `steps` Adam updates with fixed pseudo-random gradients, from `state` when given. */
async function train(steps: number, from?: { values: Float32Array[]; state: AdamState }): Promise<Trained> {
  const variables = SHAPES.map((shape, k) => tf.variable(tf.tensor(from?.values[k] ?? randomValues(tf.util.sizeFromShape(shape), 10 + k), shape)));
  const adam = new Adam(variables, CONFIG);
  if (from) adam.setState(from.state);
  for (let t = 0; t < steps; t++) {
    const grads = SHAPES.map((shape, k) => tf.tensor(randomValues(tf.util.sizeFromShape(shape), 1000 * t + k + adam.step, 2), shape));
    adam.applyGradients(grads);
    tf.dispose(grads);
  }
  const result = { values: await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array)), state: await adam.readState() };
  adam.dispose();
  tf.dispose(variables);
  return result;
}

function expectSame(actual: Trained, expected: Trained): void {
  expect(actual.state.step).toBe(expected.state.step);
  actual.values.forEach((v, k) => expect(relativeError(v, expected.values[k]!), `variable ${k}`).toBeLessThan(1e-6));
  actual.state.slots.forEach((s, k) => {
    expect(s.shape).toEqual(SHAPES[k]);
    expect(relativeError(s.m, expected.state.slots[k]!.m), `m ${k}`).toBeLessThan(1e-6);
    expect(relativeError(s.v, expected.state.slots[k]!.v), `v ${k}`).toBeLessThan(1e-6);
  });
}

describe.skipIf(!gpu.available)(`Adam on webgpu (fused GraphcAdamUpdate) ≡ composite Adam${gpu.titleSuffix}`, () => {
  it('4 steps: same variables, m and v', async () => {
    const expected = await onBackend('cpu', () => train(4));
    const actual = await onBackend('webgpu', async () => {
      expect(hasFusedAdam()).toBe(true);
      return train(4);
    });
    expectSame(actual, expected);
  });

  it('state saved from one layout continues identically in the other', async () => {
    const start = await onBackend('cpu', () => train(2));
    const expected = await onBackend('cpu', () => train(2, start));
    const resumedOnGpu = await onBackend('webgpu', () => train(2, start));
    expectSame(resumedOnGpu, expected);
    const back = await onBackend('cpu', () => train(1, resumedOnGpu));
    expectSame(back, await onBackend('cpu', () => train(1, expected)));
  });
});
