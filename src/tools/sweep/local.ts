/**
 * The embedded default: a sweep's trials run on this machine, `parallel` at a
 * time, each as a child `graphc run`. A trial already done is skipped, an
 * interrupted one resumes from its checkpoint, a failed one is tried again;
 * so the same command, run again, finishes what is left.
 */
import { availableParallelism } from 'node:os';
import type { Evaluation } from '../../runtime/run-folder.js';
import { trialOverrides, type SweepDefinition, type Trial } from './definition.js';
import { runTrial } from './executor.js';
import { clearFailure, recordFailure, SPEC_FILE, trialFolder, trialState } from './folder.js';
import { join } from 'node:path';

export type SweepEvent =
  | { readonly kind: 'start'; readonly trial: Trial; readonly resumed: boolean }
  | { readonly kind: 'evaluation'; readonly trial: Trial; readonly evaluation: Evaluation }
  | { readonly kind: 'done'; readonly trial: Trial }
  | { readonly kind: 'failed'; readonly trial: Trial; readonly reason: string }
  | { readonly kind: 'interrupted'; readonly trial: Trial };

export interface LocalOptions {
  readonly parallel: number;
  readonly backend?: string;
  /** Worker threads of each run. */
  readonly workers?: number;
  /** Stop: running trials finish their step and keep a checkpoint; no new trial starts. */
  readonly signal?: AbortSignal;
  /** Stop at once. */
  readonly abandon?: AbortSignal;
  readonly onEvent?: (event: SweepEvent) => void;
}

export interface SweepCounts {
  readonly done: number;
  readonly failed: number;
  readonly interrupted: number;
  /** Done before this run started. */
  readonly skipped: number;
}

/** As many trials at once as the cores allow, given each run's worker threads. */
export function defaultParallel(workersPerRun = 1): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, workersPerRun)));
}

export async function runLocal(definition: SweepDefinition, dir: string, options: LocalOptions): Promise<SweepCounts> {
  const queue = definition.trials.filter((t) => trialState(trialFolder(dir, t.id)).state !== 'done');
  const counts = { done: 0, failed: 0, interrupted: 0, skipped: definition.trials.length - queue.length };
  const spec = join(dir, SPEC_FILE);
  const runOne = async (trial: Trial): Promise<void> => {
    const out = trialFolder(dir, trial.id);
    const resumed = trialState(out).state === 'interrupted';
    clearFailure(out);
    options.onEvent?.({ kind: 'start', trial, resumed });
    const outcome = await runTrial(
      {
        spec,
        overrides: trialOverrides(definition, trial),
        seed: trial.seed,
        schedule: definition.options.schedule,
        out,
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
      },
      {
        onEvaluation: (evaluation) => options.onEvent?.({ kind: 'evaluation', trial, evaluation }),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.abandon ? { abandon: options.abandon } : {}),
      },
    );
    if (outcome.status === 'done') {
      counts.done++;
      options.onEvent?.({ kind: 'done', trial });
    } else if (outcome.status === 'interrupted' || outcome.status === 'stopped') {
      counts.interrupted++;
      options.onEvent?.({ kind: 'interrupted', trial });
    } else {
      counts.failed++;
      recordFailure(out, outcome.reason);
      options.onEvent?.({ kind: 'failed', trial, reason: outcome.reason });
    }
  };
  const lanes = Array.from({ length: Math.min(options.parallel, queue.length) }, async () => {
    for (let trial = queue.shift(); trial !== undefined && !options.signal?.aborted; trial = queue.shift()) await runOne(trial);
  });
  await Promise.all(lanes);
  return counts;
}
