/**
 * graphc's optimizers, learning-rate schedules and gradient clipping against
 * PyTorch's: the same initial variables and the same gradient at every step
 * go through graphc's Updater (optim/updater.ts, what the training session
 * uses) and through torch.optim, torch.optim.lr_scheduler (or the schedule's
 * closed form) and torch.nn.utils.clip_grad_norm_ / clip_grad_value_ in a
 * python3 child (torch_optim.py); the variables after the last step, every
 * step's learning rate and gradient norm must agree within float32
 * tolerance. TF1's RMSProp has no torch twin: the child writes out TF1's rule.
 * Without torch the comparisons are skipped, unless GRAPHC_REQUIRE_TORCH=1.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerConfig, Schedule } from '../../../src/runtime/model.js';
import { Updater, type ClipConfig, type LearningRateSchedule } from '../../../src/runtime/optim/index.js';
import { initialPlateau, stepPlateau, type PlateauConfig } from '../../../src/runtime/monitor.js';
import type { WeightDecayConfig } from '../../../src/runtime/optim/weight_decay.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { tf } from '../../../src/runtime/tf.js';
import { pythonCommand } from '../../../src/tools/bench/pytorch/runner.js';

const SCRIPT = fileURLToPath(new URL('./torch_optim.py', import.meta.url));
const SHAPES = [[3, 4], [4], [2, 2, 2]];
const STEPS = 24;

interface Case {
  readonly name: string;
  readonly optimizer: OptimizerConfig;
  readonly torch: Record<string, number | string | boolean | boolean[]>;
  readonly schedule?: LearningRateSchedule;
  readonly clip?: ClipConfig;
  readonly weightDecay?: WeightDecayConfig;
}

/** The variables' graph names in these cases, which weight decay's patterns match. */
const NAMES = ['dense/kernel', 'dense/bias', 'norm/gamma'];

const adamw = { type: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 } as const;
const adamwTorch = { kind: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.05 };
const momentum = { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: false } as const;
const momentumTorch = { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false };
const rmsprop = { type: 'rmsprop', learningRate: 0.01, decay: 0.9, momentum: 0, epsilon: 1e-10, centered: false } as const;
const rmspropTorch = { kind: 'rmsprop', lr: 0.01, decay: 0.9, momentum: 0, epsilon: 1e-10, centered: false };

const CASES: readonly Case[] = [
  { name: 'adamw', optimizer: adamw, torch: adamwTorch },
  { name: 'adamw without weight decay, other betas', optimizer: { ...adamw, beta1: 0.8, beta2: 0.99, weightDecay: 0 }, torch: { ...adamwTorch, beta1: 0.8, beta2: 0.99, weight_decay: 0 } },
  { name: 'sgd with momentum', optimizer: momentum, torch: momentumTorch },
  { name: 'sgd with nesterov momentum', optimizer: { ...momentum, nesterov: true }, torch: { ...momentumTorch, nesterov: true } },
  { name: 'sgd without momentum', optimizer: { type: 'sgd', learningRate: 0.05 }, torch: { ...momentumTorch, momentum: 0 } },
  { name: 'rmsprop (TF1 rule)', optimizer: rmsprop, torch: rmspropTorch },
  { name: 'rmsprop with momentum, centered (TF1 rule)', optimizer: { ...rmsprop, momentum: 0.5, centered: true }, torch: { ...rmspropTorch, momentum: 0.5, centered: true } },
  { name: 'adagrad (TF1: accumulator from 0.1, no epsilon)', optimizer: { type: 'adagrad', learningRate: 0.1, initialAccumulatorValue: 0.1 }, torch: { kind: 'adagrad', lr: 0.1, initial_accumulator_value: 0.1 } },
  // Schedules, on SGD with momentum (the rate enters every step directly) and on AdamW.
  { name: 'exponential_decay staircase (StepLR)', optimizer: momentum, torch: momentumTorch, schedule: { type: 'exponential_decay', decaySteps: 5, decayRate: 0.5, staircase: true } },
  { name: 'exponential_decay every step (ExponentialLR)', optimizer: momentum, torch: momentumTorch, schedule: { type: 'exponential_decay', decaySteps: 1, decayRate: 0.9, staircase: false } },
  { name: 'exponential_decay smooth (closed form)', optimizer: adamw, torch: adamwTorch, schedule: { type: 'exponential_decay', decaySteps: 7, decayRate: 0.3, staircase: false } },
  { name: 'piecewise_constant (closed form)', optimizer: momentum, torch: momentumTorch, schedule: { type: 'piecewise_constant', boundaries: [4, 10, 15], values: [0.1, 0.05, 0.02, 0.01] } },
  { name: 'cosine_decay with warm-up (LinearLR then CosineAnnealingLR)', optimizer: momentum, torch: momentumTorch, schedule: { type: 'cosine_decay', warmupSteps: 5, decaySteps: STEPS - 5, alpha: 0.1 } },
  { name: 'cosine_decay without warm-up (CosineAnnealingLR)', optimizer: adamw, torch: adamwTorch, schedule: { type: 'cosine_decay', warmupSteps: 0, decaySteps: STEPS, alpha: 0 } },
  // Clipping: a norm below the gradients' (about 5) so it clips, one above so it does not.
  { name: 'clip by global norm 1.5 (clip_grad_norm_)', optimizer: momentum, torch: momentumTorch, clip: { globalNorm: 1.5 } },
  { name: 'clip by global norm 100 (no effect)', optimizer: adamw, torch: adamwTorch, clip: { globalNorm: 100 } },
  { name: 'clip by value 0.5 (clip_grad_value_)', optimizer: momentum, torch: momentumTorch, clip: { value: 0.5 } },
  { name: 'cosine warm-up and global-norm clipping on adamw', optimizer: adamw, torch: adamwTorch, schedule: { type: 'cosine_decay', warmupSteps: 3, decaySteps: 20, alpha: 0 }, clip: { globalNorm: 2 } },
  // Weight decay (coupled L2): the default patterns leave the bias and the norm's gamma out.
  {
    name: 'weight decay 0.1, default exclusions (SGD weight_decay on the kernel only)',
    optimizer: momentum,
    torch: { ...momentumTorch, weight_decay: 0.1, decayed: [true, false, false] },
    weightDecay: { rate: 0.1, variables: ['*'], exclude: ['*bias', '*/gamma', '*/beta'] },
  },
  {
    name: 'weight decay 0.05 on every variable, after global-norm clipping',
    optimizer: { type: 'sgd', learningRate: 0.05 },
    torch: { ...momentumTorch, momentum: 0, weight_decay: 0.05, decayed: [true, true, true] },
    weightDecay: { rate: 0.05, variables: ['*'], exclude: [] },
    clip: { globalNorm: 1.5 },
  },
];

/** reduce_on_plateau against ReduceLROnPlateau: a metric that improves, stalls, improves again, then worsens. */
const PLATEAU_METRICS = [1, 0.8, 0.7, 0.7, 0.71, 0.69, 0.7, 0.7, 0.7, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 0.2, 0.3, 0.3];
const PLATEAUS: readonly PlateauConfig[] = [
  { type: 'reduce_on_plateau', monitor: 'test.cost', mode: 'min', minDelta: 0, factor: 0.5, patience: 1, cooldown: 0, minLr: 0 },
  { type: 'reduce_on_plateau', monitor: 'test.cost', mode: 'min', minDelta: 0.015, factor: 0.1, patience: 0, cooldown: 2, minLr: 1e-4 },
  { type: 'reduce_on_plateau', monitor: 'test.acc', mode: 'max', minDelta: 0, factor: 0.3, patience: 2, cooldown: 1, minLr: 0.002 },
];

/** Values drawn once from graphc's own seeded stream, rounded to float32, so both sides start from the same numbers. */
function draw(random: RandomStream, size: number, scale: number): number[] {
  return Array.from(Float32Array.from({ length: size }, () => (random.nextFloat() * 2 - 1) * scale));
}

const random = new RandomStream(7, 'optim-test');
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const initial = SHAPES.map((shape) => draw(random, size(shape), 1));
const gradients = Array.from({ length: STEPS }, () => SHAPES.map((shape) => draw(random, size(shape), 2)));

async function runGraphc(c: Case): Promise<{ variables: number[][]; lrs: number[]; norms: number[] }> {
  const variables = SHAPES.map((shape, i) => tf.variable(tf.tensor(initial[i]!, shape, 'float32')));
  const config: Pick<Schedule<unknown>, 'optimizer' | 'learningRateSchedule' | 'clip' | 'weightDecay'> = {
    optimizer: c.optimizer,
    ...(c.schedule ? { learningRateSchedule: c.schedule } : {}),
    ...(c.clip ? { clip: c.clip } : {}),
    ...(c.weightDecay ? { weightDecay: c.weightDecay } : {}),
  };
  const updater = new Updater(config, variables, NAMES);
  const lrs: number[] = [];
  const norms: number[] = [];
  try {
    for (const [t, step] of gradients.entries()) {
      const grads = step.map((g, i) => tf.tensor(g, SHAPES[i]!, 'float32'));
      updater.apply(grads, t);
      tf.dispose(grads);
      lrs.push(updater.learningRate);
      if (c.clip) norms.push((await updater.readStats())['grad_norm']!);
    }
    return { variables: variables.map((v) => Array.from(v.dataSync())), lrs, norms };
  } finally {
    updater.dispose();
    tf.dispose(variables);
  }
}

const request = {
  cases: CASES.map((c) => ({
    variables: SHAPES.map((shape, i) => ({ shape, values: initial[i] })),
    grads: gradients,
    optimizer: c.torch,
    ...(c.schedule ? { schedule: c.schedule } : {}),
    ...(c.clip ? { clip: 'globalNorm' in c.clip ? { global_norm: c.clip.globalNorm } : { value: c.clip.value } } : {}),
  })),
  plateaus: PLATEAUS.map((p) => ({ ...p, lr: 0.1, metrics: PLATEAU_METRICS })),
};

const reply = spawnSync(pythonCommand(), [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const parsed = reply.status === 0 ? (JSON.parse(reply.stdout) as { torch: boolean; results?: { variables: number[][]; lrs: number[]; norms: number[] }[]; plateaus?: number[][] }) : undefined;
const hasTorch = parsed?.torch === true;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it.runIf(reply.status !== 0)('runs the PyTorch script', () => {
  expect.fail(`${pythonCommand()} ${SCRIPT} failed: ${reply.error?.message ?? reply.stderr}`);
});

// CI sets GRAPHC_REQUIRE_TORCH=1: there a python3 without torch is a failure, not a skip.
it.runIf(reply.status === 0 && !hasTorch && process.env.GRAPHC_REQUIRE_TORCH === '1')('has an interpreter with torch (GRAPHC_REQUIRE_TORCH=1)', () => {
  expect.fail(`GRAPHC_REQUIRE_TORCH=1 but ${pythonCommand()} cannot import torch`);
});

describe.skipIf(!hasTorch)('optimizers, schedules and clipping against PyTorch', () => {
  CASES.forEach((c, k) => {
    it(c.name, async () => {
      const torch = parsed!.results![k]!;
      const ours = await runGraphc(c);
      expect(ours.lrs).toHaveLength(STEPS);
      ours.lrs.forEach((lr, t) => expect(lr, `lr of step ${t + 1}`).toBeCloseTo(torch.lrs[t]!, 12));
      if (c.clip) ours.norms.forEach((n, t) => expect(Math.abs(n - torch.norms[t]!), `grad_norm of step ${t + 1}`).toBeLessThan(1e-5 * torch.norms[t]!));
      let moved = 0;
      ours.variables.forEach((values, i) =>
        values.forEach((v, j) => {
          const theirs = torch.variables[i]![j]!;
          moved = Math.max(moved, Math.abs(theirs - initial[i]![j]!));
          expect(Math.abs(v - theirs), `variable ${i}[${j}]: graphc ${v}, torch ${theirs}`).toBeLessThanOrEqual(2e-5 + 1e-4 * Math.abs(theirs));
        }),
      );
      // The comparison means something only if the updates moved the variables.
      expect(moved).toBeGreaterThan(0.01);
    });
  });
});

describe.skipIf(!hasTorch)('reduce_on_plateau against ReduceLROnPlateau', () => {
  PLATEAUS.forEach((config, k) => {
    it(`mode ${config.mode}, factor ${config.factor}, patience ${config.patience}, min_delta ${config.minDelta}, cooldown ${config.cooldown}, min_lr ${config.minLr}`, () => {
      const theirs = parsed!.plateaus![k]!;
      let state = initialPlateau(0.1);
      const ours = PLATEAU_METRICS.map((value) => (state = stepPlateau(config, state, value)).rate);
      ours.forEach((rate, i) => expect(rate, `rate after metric ${i + 1}`).toBeCloseTo(theirs[i]!, 15));
      // The sequence must actually drop the rate, or the comparison shows nothing.
      expect(Math.min(...theirs)).toBeLessThan(0.1);
    });
  });
});
