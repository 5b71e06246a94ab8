/**
 * What the fused GraphcAdamUpdate kernels are tested with: a few Adam steps
 * on variables of awkward sizes (not multiples of 4 or of a workgroup) with
 * fixed pseudo-random gradients, and the comparison of two such runs.
 */
import { expect, it } from 'vitest';
import { hasFusedAdam } from '../../../src/runtime/kernels/adam_update.js';
import { Adam, type AdamConfig, type AdamState } from '../../../src/runtime/optim/index.js';
import { tf } from '../../../src/runtime/tf.js';
import { randomValues, relativeError } from '../rnn/helpers.js';

const CONFIG: AdamConfig = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const SHAPES = [[3, 5], [7], [2, 3, 4], [70, 3]];

interface Trained {
  values: Float32Array[];
  state: AdamState;
}

/** `steps` Adam updates on the current backend, from `from` when given. */
async function trainAdam(steps: number, from?: Trained): Promise<Trained> {
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

/** Same step count, and variables, m and v within `tolerance` (relative). */
function expectSameAdam(actual: Trained, expected: Trained, tolerance = 1e-6): void {
  expect(actual.state.step).toBe(expected.state.step);
  actual.values.forEach((v, k) => expect(relativeError(v, expected.values[k]!), `variable ${k}`).toBeLessThan(tolerance));
  actual.state.slots.forEach((s, k) => {
    expect(s.shape).toEqual(SHAPES[k]);
    expect(relativeError(s.m, expected.state.slots[k]!.m), `m ${k}`).toBeLessThan(tolerance);
    expect(relativeError(s.v, expected.state.slots[k]!.v), `v ${k}`).toBeLessThan(tolerance);
  });
}

/** Runs fn on the cpu backend (composite Adam) or on the backend under test (fused). */
export type OnBackend = <T>(where: 'cpu' | 'fused', fn: () => Promise<T>) => Promise<T>;

/** The fused kernel's cases: a few steps against the composite ops, and slot state moved between the two layouts. */
export function itMatchesCompositeAdam(on: OnBackend): void {
  it('4 steps: same variables, m and v', async () => {
    const expected = await on('cpu', () => trainAdam(4));
    const actual = await on('fused', async () => {
      expect(hasFusedAdam()).toBe(true);
      return trainAdam(4);
    });
    expectSameAdam(actual, expected);
  });

  it('state saved from one layout continues identically in the other', async () => {
    const start = await on('cpu', () => trainAdam(2));
    const expected = await on('cpu', () => trainAdam(2, start));
    const resumed = await on('fused', () => trainAdam(2, start));
    expectSameAdam(resumed, expected);
    const back = await on('cpu', () => trainAdam(1, resumed));
    expectSameAdam(back, await on('cpu', () => trainAdam(1, expected)));
  });
}
