import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/runtime/tf.js';
import { Adam, type AdamConfig } from '../../../src/runtime/optim/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONFIG: AdamConfig = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const INITIAL = [0.5, -1.25, 2, 0.01, -0.3, 1.7];
/** A fixed gradient sequence per step (varied signs and magnitudes). */
const gradAt = (step: number): number[] => INITIAL.map((_, i) => Math.sin(1.3 * i + 0.7 * step) * (1 + i / 3));

/** Float64 TF1 AdamOptimizer. */
function referenceAdam(config: AdamConfig, steps: number): number[] {
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps } = config;
  const value = [...INITIAL];
  const m = value.map(() => 0);
  const v = value.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = gradAt(t);
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < value.length; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
      value[i] = value[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps);
    }
  }
  return value;
}

function runAdam(config: AdamConfig, steps: number): number[] {
  const variable = tf.variable(tf.tensor2d(INITIAL, [2, 3]));
  const adam = new Adam([variable], config);
  for (let t = 1; t <= steps; t++) {
    const g = tf.tensor2d(gradAt(t), [2, 3]);
    adam.applyGradients([g]);
    g.dispose();
  }
  expect(adam.step).toBe(steps);
  const out = Array.from(variable.dataSync());
  adam.dispose();
  variable.dispose();
  return out;
}

const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

describe('Adam (TF1)', () => {
  it('matches a float64 reference of the TF1 formula over 5 steps (1e-6)', () => {
    expect(maxAbsDiff(runAdam(CONFIG, 5), referenceAdam(CONFIG, 5))).toBeLessThan(1e-6);
  });

  it('matches with a large epsilon, where it differs from tfjs tf.train.adam (epsilon placement)', () => {
    const config = { ...CONFIG, learningRate: 0.1, epsilon: 0.5 };
    const ours = runAdam(config, 5);
    expect(maxAbsDiff(ours, referenceAdam(config, 5))).toBeLessThan(1e-6);

    const variable = tf.variable(tf.tensor2d(INITIAL, [2, 3]));
    const tfjs = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
    for (let t = 1; t <= 5; t++) {
      const g = tf.tensor2d(gradAt(t), [2, 3]);
      tfjs.applyGradients([{ name: variable.name, tensor: g }]);
      g.dispose();
    }
    const theirs = Array.from(variable.dataSync());
    tfjs.dispose();
    variable.dispose();
    expect(maxAbsDiff(ours, theirs)).toBeGreaterThan(1e-3);
  });

  it('updates several variables independently, in order', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.scalar(3));
    const adam = new Adam([a, b], CONFIG);
    const ga = tf.tensor1d([0.5, -0.5]);
    const gb = tf.scalar(0);
    adam.applyGradients([ga, gb]);
    // First step: m/(sqrt(v)) = sign(g), lr_t = lr·sqrt(1-b2)/(1-b1): each moves by ≈ lr against its gradient.
    const av = a.dataSync();
    expect(av[0]).toBeCloseTo(1 - 0.01, 6);
    expect(av[1]).toBeCloseTo(2 + 0.01, 6);
    expect(b.dataSync()[0]).toBe(3);
    tf.dispose([ga, gb, a, b]);
    adam.dispose();
  });

  it('round-trips its state: getState → new Adam → setState gives an identical next step', async () => {
    const run = (): { variable: tf.Variable; adam: Adam } => {
      const variable = tf.variable(tf.tensor2d(INITIAL, [2, 3]));
      return { variable, adam: new Adam([variable], CONFIG) };
    };
    const first = run();
    for (let t = 1; t <= 3; t++) tf.tidy(() => first.adam.applyGradients([tf.tensor2d(gradAt(t), [2, 3])]));
    const state = first.adam.getState();
    expect(state.step).toBe(3);
    expect(state.slots).toHaveLength(1);
    expect(state.slots[0]!.shape).toEqual([2, 3]);
    expect(await first.adam.readState()).toEqual(state);

    const second = run();
    second.variable.assign(first.variable);
    second.adam.setState(state);
    expect(second.adam.step).toBe(3);
    for (const { adam } of [first, second]) tf.tidy(() => adam.applyGradients([tf.tensor2d(gradAt(4), [2, 3])]));
    expect(Array.from(second.variable.dataSync())).toEqual(Array.from(first.variable.dataSync()));
    expect(second.adam.getState()).toEqual(first.adam.getState());
    // The saved state is a copy, unaffected by later steps.
    expect(state.step).toBe(3);
    for (const { variable, adam } of [first, second]) {
      adam.dispose();
      variable.dispose();
    }
  });

  it('leaks nothing (construction, steps, state, dispose) and leaves the gradients alive', () => {
    const variable = tf.variable(tf.zeros([4]));
    const g = tf.ones([4]);
    const before = tf.memory().numTensors;
    const adam = new Adam([variable], CONFIG);
    expect(tf.memory().numTensors).toBe(before + 2); // the m and v slots
    adam.applyGradients([g]);
    adam.applyGradients([g]);
    adam.setState(adam.getState());
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(g.isDisposed).toBe(false);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => adam.applyGradients([g])).toThrow(/dispose/);
    tf.dispose([g, variable]);
  });

  it('rejects mismatched gradients and states', () => {
    const variable = tf.variable(tf.zeros([2, 2]));
    const adam = new Adam([variable], CONFIG);
    const wrong = tf.zeros([4]);
    expect(() => adam.applyGradients([wrong])).toThrow(/shape/);
    expect(() => adam.applyGradients([])).toThrow(/gradients/);
    expect(() => adam.setState({ step: 1, slots: [{ m: new Float32Array(4), v: new Float32Array(4), shape: [4] }] })).toThrow(/shape/);
    expect(() => new Adam([variable], { ...CONFIG, beta1: 1 })).toThrow(RangeError);
    tf.dispose([wrong, variable]);
    adam.dispose();
  });
});
