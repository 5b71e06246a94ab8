/**
 * batch_norm end to end: nn.batchNorm against the composition of tfjs ops
 * (values and gradients, training and inference), the moving statistics
 * after N steps against Keras's rule, checkpoints that carry them, eval that
 * uses them, resume, and workers 1 vs 2.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/runtime/backends.js';
import { readCheckpoint, tensorValues, type Checkpoint } from '../../src/runtime/checkpoint.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { TrainedModel } from '../../src/runtime/inference.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import { batchNorm, type BatchNormWeights, type BatchStatistics } from '../../src/runtime/nn.js';
import { RandomStream } from '../../src/runtime/random.js';
import type { Evaluation } from '../../src/runtime/run_folder.js';
import { toTensors, TrainingSession } from '../../src/runtime/session.js';
import { tf } from '../../src/runtime/tf.js';
import { runModel, type RunOptions } from '../../src/runtime/trainer.js';
import { importVariant } from '../helpers/modules.js';

const quiet = { print: () => {}, status: () => {} };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'graphc-bn-'));
const data = (): NonNullable<RunOptions['data']> => {
  const random = new RandomStream(5, 'data');
  const mnist = loadMnist({ random });
  return { train: mnist.train, test: mnist.test, random };
};
/** The convnet with 4 and 6 filters: seconds per run. */
const small = (): Promise<AnyCompiledModel> => importVariant('graphs/convnet.yaml', ['conv1_filters=4', 'conv2_filters=6']);

function weights(channels: number, seed: number): BatchNormWeights {
  return {
    gamma: tf.variable(tf.randomUniform([channels], 0.5, 1.5, 'float32', seed)),
    beta: tf.variable(tf.randomUniform([channels], -0.5, 0.5, 'float32', seed + 1)),
    movingMean: tf.variable(tf.randomUniform([channels], -1, 1, 'float32', seed + 2), false),
    movingVariance: tf.variable(tf.randomUniform([channels], 0.5, 2, 'float32', seed + 3), false),
  };
}

/** The definition, op by op: (x − mean) / sqrt(variance + ε) · gamma + beta, the statistics over every axis but `axis`. */
function composed(x: tf.Tensor, w: BatchNormWeights, axis: number, training: boolean, epsilon: number): tf.Tensor {
  const along = x.shape.map((d, k) => (k === axis ? d : 1));
  const reduced = x.shape.map((_, k) => k).filter((k) => k !== axis);
  const mean = training ? tf.mean(x, reduced, true) : tf.reshape(w.movingMean, along);
  const variance = training ? tf.mean(tf.square(tf.sub(x, mean)), reduced, true) : tf.reshape(w.movingVariance, along);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), tf.reshape(w.gamma!, along)), tf.reshape(w.beta!, along));
}

function expectClose(actual: tf.Tensor, expected: tf.Tensor, tolerance: number): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / (1 + Math.abs(e[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

const values = (checkpoint: Checkpoint, name: string): Float32Array => tensorValues(checkpoint, checkpoint.header.state!.find((e) => e.name === name)!);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('nn.batchNorm against the composition of tfjs ops', () => {
  const layouts: Array<{ shape: number[]; axis: number }> = [
    { shape: [6, 5, 5, 3], axis: 3 }, // NHWC, tfjs's fused kernel
    { shape: [8, 4], axis: 1 }, // dense output
    { shape: [4, 3, 5], axis: 1 }, // channels not last: composed
  ];
  for (const { shape, axis } of layouts) {
    for (const training of [true, false]) {
      it(`[${shape.join(', ')}] axis ${axis}, ${training ? 'training' : 'inference'}: values and gradients`, () => {
        const w = weights(shape[axis]!, 3);
        tf.tidy(() => {
          const x = tf.randomNormal(shape, 0.5, 2, 'float32', 11);
          const cotangent = tf.randomNormal(shape, 0, 1, 'float32', 12);
          const options = { training, axis, momentum: 0.9, epsilon: 1e-3 };
          const f = (fn: (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor) =>
            tf.grads((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.sum(tf.mul(fn(x, gamma, beta), cotangent)));
          const ours = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => batchNorm(x, { ...w, gamma: gamma as tf.Variable<tf.Rank.R1>, beta: beta as tf.Variable<tf.Rank.R1> }, options);
          const reference = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => composed(x, { ...w, gamma: gamma as tf.Variable<tf.Rank.R1>, beta: beta as tf.Variable<tf.Rank.R1> }, axis, training, 1e-3);
          expectClose(ours(x, w.gamma!, w.beta!), reference(x, w.gamma!, w.beta!), 1e-5);
          const [gx, gg, gb] = f(ours)([x, w.gamma!, w.beta!]);
          const [rx, rg, rb] = f(reference)([x, w.gamma!, w.beta!]);
          expectClose(gx!, rx!, 1e-4);
          expectClose(gg!, rg!, 1e-4);
          expectClose(gb!, rb!, 1e-4);
        });
        tf.dispose(Object.values(w));
      });
    }
  }

  it('records the batch mean and biased variance in training only', () => {
    const w = weights(3, 5);
    const statistics: BatchStatistics[] = [];
    tf.tidy(() => {
      const x = tf.randomNormal([4, 2, 2, 3], 1, 3, 'float32', 6);
      batchNorm(x, w, { training: false, axis: 3, momentum: 0.99, epsilon: 1e-3 }, statistics);
      expect(statistics).toHaveLength(0);
      batchNorm(x, w, { training: true, axis: 3, momentum: 0.99, epsilon: 1e-3 }, statistics);
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      expectClose(statistics[0]!.mean, mean, 1e-6);
      expectClose(statistics[0]!.variance, variance, 1e-6);
    });
    expect(statistics[0]).toMatchObject({ count: 16, momentum: 0.99 });
    tf.dispose([...statistics.flatMap((s) => [s.mean, s.variance]), ...Object.values(w)]);
  });
});

describe('the moving statistics in training, checkpoints, eval, resume and workers', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    tf.env().set('PROD', true);
  });

  it('follow moving = moving · momentum + batch · (1 − momentum) (the convnet spec\'s 0.9), the batch variance unbiased, step after step', async () => {
    const model = await small();
    const session = new TrainingSession(model, 3);
    const { train } = data();
    const moving = (name: string) => Array.from(session.state.find((s) => s.name === name)!.variable.dataSync());
    let expectedMean = moving('conv1_bn/moving_mean');
    let expectedVariance = moving('conv1_bn/moving_variance');
    expect(expectedMean.every((v) => v === 0) && expectedVariance.every((v) => v === 1)).toBe(true);
    for (let step = 0; step < 3; step++) {
      const batch = train.nextBatch(20);
      // conv1 from the current weights (a fresh dropout stream: dropout comes after conv1, and the session's must not advance).
      const { mean, variance, count } = tf.tidy(() => {
        const nodes = model.forward(session.vars, model.makeFeeds('train', toTensors(batch)), { random: new RandomStream(1, 'dropout'), phase: 'train' });
        const conv1 = nodes['conv1']!;
        const m = tf.moments(conv1, [0, 1, 2]);
        return { mean: Array.from(m.mean.dataSync()), variance: Array.from(m.variance.dataSync()), count: conv1.size / conv1.shape[3]! };
      });
      expectedMean = expectedMean.map((v, c) => v * 0.9 + mean[c]! * 0.1);
      expectedVariance = expectedVariance.map((v, c) => v * 0.9 + ((variance[c]! * count) / (count - 1)) * 0.1);
      session.trainStep(batch).dispose();
      moving('conv1_bn/moving_mean').forEach((v, c) => expect(v).toBeCloseTo(expectedMean[c]!, 5));
      moving('conv1_bn/moving_variance').forEach((v, c) => expect(v).toBeCloseTo(expectedVariance[c]!, 5));
    }
    // The optimizer updated gamma and beta, and never saw the state.
    expect(session.named.map((n) => n.name)).toContain('conv1_bn/gamma');
    expect(session.named.map((n) => n.name)).not.toContain('conv1_bn/moving_mean');
    expect(session.getState().optimizer.variables).not.toContain('conv1_bn/moving_mean');
    session.dispose();
  });

  it('a checkpoint carries the state, and eval normalises with it', async () => {
    const model = await small();
    const dir = tmp();
    await runModel(model, { ...quiet, backend: 'wasm', steps: 4, evalEvery: 2, evalBatches: 2, batchSize: 20, seed: 5, out: dir, data: data() });
    const checkpoint = readCheckpoint(dir);
    expect(checkpoint.header.state!.map((e) => [e.name, e.shape])).toEqual([
      ['conv1_bn/moving_mean', [4]],
      ['conv1_bn/moving_variance', [4]],
      ['conv2_bn/moving_mean', [6]],
      ['conv2_bn/moving_variance', [6]],
    ]);
    expect(checkpoint.header.variables.map((v) => v.name)).not.toContain('conv1_bn/moving_mean');
    const mean = values(checkpoint, 'conv1_bn/moving_mean');
    const variance = values(checkpoint, 'conv1_bn/moving_variance');
    // Four steps moved them off their initial zeros and ones.
    expect(Array.from(mean).some((v) => v !== 0) && Array.from(variance).some((v) => v !== 1)).toBe(true);

    const trained = new TrainedModel(model, checkpoint);
    const { test } = data();
    const count = 10;
    const features = test.features.subarray(0, count * test.width);
    const [conv1, bn] = trained.run(features, new Float32Array(count * 10), count, ['conv1', 'conv1_bn']);
    const gamma = trained.weights.get('conv1_bn/gamma')!.values;
    const beta = trained.weights.get('conv1_bn/beta')!.values;
    let worst = 0;
    conv1!.forEach((v, i) => {
      const c = i % 4;
      const expected = ((v - mean[c]!) / Math.sqrt(variance[c]! + 1e-3)) * gamma[c]! + beta[c]!;
      worst = Math.max(worst, Math.abs(bn![i]! - expected));
    });
    expect(worst).toBeLessThan(1e-4);
    trained.dispose();

    // A checkpoint without the state cannot restore a model that has some.
    const { state: _state, ...stateless } = checkpoint.header;
    expect(() => new TrainedModel(model, { ...checkpoint, header: stateless })).toThrow(/conv1_bn\/moving_mean/);
  });

  it('a run interrupted and resumed gives the metrics of the uninterrupted run', async () => {
    const model = await small();
    const schedule = { backend: 'wasm', steps: 6, evalEvery: 2, evalBatches: 2, batchSize: 20, seed: 5 } as const;
    const wholeDir = tmp();
    const whole = await runModel(model, { ...quiet, ...schedule, out: wholeDir, data: data() });
    const dir = tmp();
    const controller = new AbortController();
    await runModel(model, { ...quiet, ...schedule, out: dir, data: data(), signal: controller.signal, onStep: (step) => step === 3 && controller.abort() });
    const checkpoint = readCheckpoint(dir);
    expect(checkpoint.header.step).toBe(3);
    const resumed = await runModel(model, { ...quiet, backend: 'wasm', out: dir, resume: checkpoint, data: data() });
    const metrics = (evaluations: readonly Evaluation[]) => evaluations.map((e) => ({ step: e.step, train: e.train, test: e.test }));
    expect(metrics(resumed.evaluations)).toEqual(metrics(whole.evaluations));
    // And ends with the same moving statistics, bit for bit.
    const end = readCheckpoint(dir);
    const uninterrupted = readCheckpoint(wholeDir);
    for (const e of end.header.state!) expect(Array.from(tensorValues(end, e)), e.name).toEqual(Array.from(values(uninterrupted, e.name)));
  });

  it('with 2 workers the first batch_norm’s moving statistics after a step are the whole batch’s, as with 1', async () => {
    const model = await small();
    const stateAfter = async (workers: number, steps: number) => {
      const dir = tmp();
      const result = await runModel(model, { ...quiet, backend: 'wasm', steps, evalEvery: steps, evalBatches: 2, batchSize: 20, seed: 5, out: dir, data: data(), workers });
      return { checkpoint: readCheckpoint(dir), result };
    };
    const one = await stateAfter(1, 1);
    const two = await stateAfter(2, 1);
    // conv1_bn sees the same conv1 values either way: the parts' statistics combine into the whole batch's.
    // conv2_bn's input comes after conv1_bn, which each worker computed with its own rows' statistics: close, not equal.
    for (const e of one.checkpoint.header.state!) {
      const a = tensorValues(one.checkpoint, e);
      const b = values(two.checkpoint, e.name);
      const tolerance = e.name.startsWith('conv1_bn/') ? 2e-6 : 1e-3;
      a.forEach((v, i) => expect(Math.abs(v - b[i]!), `${e.name}[${i}]`).toBeLessThan(tolerance));
    }
    // Each worker normalises its rows with their own statistics, so the losses differ a little: not exactly the same curve.
    const cost = (r: typeof one) => r.result.evaluations[0]!.train['cost']!;
    expect(Math.abs(cost(one) - cost(two))).toBeLessThan(0.5);
    // Training with 2 workers goes on and learns.
    const longer = await stateAfter(2, 30);
    expect(longer.result.evaluations.at(-1)!.train['cost']).toBeLessThan(cost(two));
  });

  it('the convnet spec’s moving variance has caught up with the batch variance after 70 steps (its momentum 0.9)', async () => {
    // conv1's batch variance is about 0.01 while the moving variance starts at 1: with Keras's
    // momentum 0.99 the start still weighs 0.99^70 ≈ 0.5 here (and 0.007 at step 500, ~70% of
    // the true value), so evaluation with the moving statistics lagged far behind training.
    const model = await small();
    const session = new TrainingSession(model, 3);
    const { train } = data();
    for (let step = 0; step < 70; step++) session.trainStep(train.nextBatch(8)).dispose();
    // The batch variance of conv1 over a few batches with the trained weights (no step taken).
    const batches = 5;
    let batchVariance: number[] = [];
    for (let b = 0; b < batches; b++) {
      const variance = tf.tidy(() => {
        const nodes = model.forward(session.vars, model.makeFeeds('train', toTensors(train.nextBatch(16))), { random: new RandomStream(1, 'dropout'), phase: 'train' });
        return Array.from(tf.moments(nodes['conv1']!, [0, 1, 2]).variance.dataSync());
      });
      batchVariance = variance.map((v, c) => (batchVariance[c] ?? 0) + v / batches);
    }
    const moving = Array.from(session.state.find((s) => s.name === 'conv1_bn/moving_variance')!.variable.dataSync());
    expect(Math.max(...batchVariance)).toBeLessThan(0.1); // the regime where the initial 1 matters
    moving.forEach((v, c) => expect(v / batchVariance[c]!, `conv1_bn/moving_variance[${c}] ${v} vs ${batchVariance[c]}`).toBeGreaterThan(0.6));
    moving.forEach((v, c) => expect(v / batchVariance[c]!, `conv1_bn/moving_variance[${c}] ${v} vs ${batchVariance[c]}`).toBeLessThan(1.6));
    session.dispose();
  });
});
