/**
 * `graphc bench --profile SPEC`: where one training step's time goes, kernel
 * by kernel, in the manner of `caffe time` — tf.profile around a step after
 * warm-up, aggregated by kernel name. Only kernels the backend registers are
 * counted: composite scopes (custom gradients such as block_gru's) contain
 * registered kernels, so counting them too would count time twice.
 */
import { initBackend, type BackendInfo, type BackendRequest } from '../../runtime/backends.js';
import type { DataSet } from '../../runtime/data/index.js';
import { benchDataLoader } from './data.js';
import type { AnyCompiledModel } from '../../runtime/model.js';
import { TrainingSession } from '../../runtime/session.js';
import { tf } from '../../runtime/tf.js';
import { baselineSteps, buildBaseline } from './baselines/runner.js';
import { markdownTable, ms } from './format.js';

export interface KernelCost {
  readonly name: string;
  readonly calls: number;
  readonly totalMs: number;
  /** Output shape of its costliest call. */
  readonly costliestShape: readonly number[];
}

export interface StepProfile {
  /** The step without profiling. */
  readonly stepMs: number;
  /** The profiled step (profiling adds a read-back per kernel). */
  readonly profiledMs: number;
  /** The sum over counted kernels. */
  readonly kernelMs: number;
  readonly calls: number;
  /** Costliest first. */
  readonly kernels: readonly KernelCost[];
}

/** Times `step` once plainly and once under tf.profile, and aggregates the kernels the backend registers. */
export async function profileStep(step: () => unknown, backend: string): Promise<StepProfile> {
  const start = performance.now();
  await step();
  const stepMs = performance.now() - start;
  let profiledMs = 0;
  const info = await tf.profile(async () => {
    const profiledStart = performance.now();
    await step();
    profiledMs = performance.now() - profiledStart;
  });
  const byName = new Map<string, { calls: number; totalMs: number; costliestMs: number; costliestShape: readonly number[] }>();
  for (const kernel of info.kernels) {
    if (tf.getKernel(kernel.name, backend) === undefined) continue;
    const time = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    const entry = byName.get(kernel.name) ?? { calls: 0, totalMs: 0, costliestMs: -1, costliestShape: [] };
    entry.calls++;
    entry.totalMs += time;
    if (time > entry.costliestMs) {
      entry.costliestMs = time;
      entry.costliestShape = kernel.outputShapes[0] ?? [];
    }
    byName.set(kernel.name, entry);
  }
  const kernels = [...byName].map(([name, e]) => ({ name, calls: e.calls, totalMs: e.totalMs, costliestShape: e.costliestShape })).sort((a, b) => b.totalMs - a.totalMs);
  return { stepMs, profiledMs, kernelMs: kernels.reduce((s, k) => s + k.totalMs, 0), calls: kernels.reduce((s, k) => s + k.calls, 0), kernels };
}

export interface ProfileOptions {
  readonly backend: BackendRequest;
  readonly warmup: number;
  readonly batchSize?: number;
  readonly seed: number;
  readonly dataDir?: string;
  /** Profile the tfjs-layers baseline's training step too. */
  readonly baseline: boolean;
}

export interface ProfileResult {
  readonly backend: BackendInfo;
  readonly batchSize: number;
  readonly graphc: StepProfile;
  readonly baseline?: StepProfile & { readonly description: string };
}

export async function profileModel(model: AnyCompiledModel, options: ProfileOptions): Promise<ProfileResult> {
  const backend = await initBackend(options.backend);
  tf.env().set('PROD', true);
  const data = await benchDataLoader(options)(model);
  const batchSize = options.batchSize ?? model.schedule.batchSize;
  const graphc = await profileGraphc(model, data.train, batchSize, options);
  if (!options.baseline) return { backend, batchSize, graphc };
  const { model: layers, description } = buildBaseline({ model: model.name, params: model.params, optimizer: model.schedule.optimizer });
  try {
    const { trainStep } = baselineSteps(layers, data, { warmup: options.warmup, steps: 1, evalBatches: 0, batchSize, evalBatchSize: batchSize, clock: 'wall' });
    for (let i = 0; i < options.warmup; i++) await trainStep();
    return { backend, batchSize, graphc, baseline: { ...(await profileStep(trainStep, backend.name)), description } };
  } finally {
    layers.optimizer.dispose();
    layers.dispose();
  }
}

async function profileGraphc(model: AnyCompiledModel, train: DataSet, batchSize: number, options: ProfileOptions): Promise<StepProfile> {
  const session = new TrainingSession(model, options.seed);
  try {
    const step = (): void => {
      const metrics = session.trainStep(train.nextBatch(batchSize));
      session.readMetrics(metrics);
      metrics.dispose();
    };
    for (let i = 0; i < options.warmup; i++) step();
    return await profileStep(step, tf.getBackend());
  } finally {
    session.dispose();
  }
}

export function formatProfile(title: string, profile: StepProfile, top: number): string {
  const share = (t: number): string => `${((100 * t) / profile.kernelMs).toFixed(1)}%`;
  const rows = profile.kernels.slice(0, top).map((k) => [k.name, String(k.calls), ms(k.totalMs), share(k.totalMs), ms(k.totalMs / k.calls), `[${k.costliestShape.join(', ')}]`]);
  const shown = Math.min(top, profile.kernels.length);
  const inKernels = `${Math.round((100 * profile.kernelMs) / profile.profiledMs)}%`;
  return [
    `${title}: one training step ${ms(profile.stepMs)} ms; profiled, ${ms(profile.profiledMs)} ms, of which ${ms(profile.kernelMs)} ms (${inKernels}) in ${profile.calls} kernel calls`,
    `and the rest between kernels (op dispatch, autodiff bookkeeping, JavaScript). The ${shown} costliest of ${profile.kernels.length} kernels:`,
    '',
    markdownTable(['kernel', 'calls', 'total ms', 'share', 'ms per call', "costliest call's output"], rows, ['left', 'right', 'right', 'right', 'right', 'left']),
  ].join('\n');
}
