/**
 * The slot-keeping optimizers (adamw, sgd with momentum, rmsprop, adagrad)
 * resume exactly: a state read after some steps and written into a fresh
 * optimizer continues bit for bit as the uninterrupted run, and a state
 * missing a slot is refused with the slot named; the updater around them leaks no tensors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../../src/runtime/model.js';
import { createOptimizer, Updater } from '../../../src/runtime/optim/index.js';
import { tf } from '../../../src/runtime/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const INITIAL = [0.5, -1.25, 2, 0.01, -0.3, 1.7];
const gradAt = (step: number): number[] => INITIAL.map((_, i) => Math.sin(1.3 * i + 0.7 * step) * (1 + i / 3));

const CONFIGS: readonly [OptimizerConfig, readonly string[]][] = [
  [{ type: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 }, ['m', 'v']],
  [{ type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true }, ['momentum']],
  [{ type: 'rmsprop', learningRate: 0.01, decay: 0.9, momentum: 0.3, epsilon: 1e-10, centered: true }, ['rms', 'momentum', 'mg']],
  [{ type: 'adagrad', learningRate: 0.1, initialAccumulatorValue: 0.1 }, ['accumulator']],
];

function steps(optimizer: ReturnType<typeof createOptimizer>, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    const g = tf.tensor2d(gradAt(t), [2, 3]);
    optimizer.applyGradients([g]);
    g.dispose();
  }
}

describe('slot optimizers resume exactly', () => {
  for (const [config, slots] of CONFIGS) {
    it(`${config.type}: slots ${slots.join(', ')}`, async () => {
      const straight = tf.variable(tf.tensor2d(INITIAL, [2, 3]));
      const a = createOptimizer(config, [straight]);
      steps(a, 0, 10);

      const first = tf.variable(tf.tensor2d(INITIAL, [2, 3]));
      const b = createOptimizer(config, [first]);
      steps(b, 0, 4);
      const state = await b.readState();
      expect(state.step).toBe(4);
      expect(Object.keys(state.slots[0]!)).toEqual(slots);
      const resumed = tf.variable(first.clone());
      const c = createOptimizer(config, [resumed]);
      c.setState(state);
      steps(c, 4, 10);
      expect(Array.from(resumed.dataSync())).toEqual(Array.from(straight.dataSync()));
      expect(c.getState().step).toBe(10);
      // The updates did something.
      expect(Array.from(straight.dataSync())).not.toEqual(INITIAL.map(Math.fround));

      const broken = { step: 4, slots: [Object.fromEntries(Object.entries(state.slots[0]!).slice(1))] };
      expect(() => c.setState(broken)).toThrow(new RegExp(`no '${slots[0]}' slot`));
      for (const o of [a, b, c]) o.dispose();
      tf.dispose([straight, first, resumed]);
    });
  }
});

describe('the updater (schedule, clipping, optimizer)', () => {
  it('holds no more tensors after 20 steps than after 2', async () => {
    const variable = tf.variable(tf.tensor2d(INITIAL, [2, 3]));
    const updater = new Updater(
      { optimizer: CONFIGS[2]![0], learningRateSchedule: { type: 'cosine_decay', warmupSteps: 2, decaySteps: 10, alpha: 0 }, clip: { globalNorm: 0.5 } },
      [variable],
    );
    const step = (t: number) => {
      const g = tf.tensor2d(gradAt(t), [2, 3]);
      updater.apply([g], t);
      g.dispose();
    };
    step(0);
    step(1);
    const held = tf.memory().numTensors;
    for (let t = 2; t < 20; t++) step(t);
    expect(tf.memory().numTensors).toBe(held);
    expect((await updater.readStats())['grad_norm']).toBeGreaterThan(0.5);
    updater.dispose();
    variable.dispose();
  });
});
