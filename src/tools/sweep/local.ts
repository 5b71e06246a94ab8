/**
 * The embedded default: a sweep's trials run on this machine, `parallel` at a
 * time, each as a child `graphc run`. A trial already done is skipped, an
 * interrupted one resumes from its checkpoint, a failed one is tried again;
 * so the same command, run again, finishes what is left.
 *
 * A searching sweep (--sampler) draws its trials as slots free up; with a
 * pruner, each evaluation of a trial gets the pruner's verdict through the
 * trial protocol (a stopped trial keeps its checkpoint, status `pruned`), and
 * a free slot first resumes a trial the pruner now promotes. --budget ends the
 * sweep: no trial starts once it is spent, and running ones stop at their next
 * evaluation (resumable, as interrupted).
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { checkpointPath } from '../../runtime/checkpoint.js';
import { dirname, join, resolve } from 'node:path';
import type { Evaluation } from '../../runtime/run_folder.js';
import { metricValue, trialOverrides, type SweepDefinition, type Trial } from './definition.js';
import type { Verdict } from '../../runtime/trial_protocol.js';
import { runTrial } from './executor.js';
import { clearFailure, clearPruned, recordFailure, recordPruned, SPEC_FILE, trialFolder, trialState } from './folder.js';
import { prunerNamed } from './pruners/index.js';
import { allTrials, appendEvent, drawNext, prunerSettings, spentSteps, trialCurves } from './search.js';

export type SweepEvent =
  | { readonly kind: 'start'; readonly trial: Trial; readonly resumed: boolean; readonly promoted?: boolean }
  | { readonly kind: 'evaluation'; readonly trial: Trial; readonly evaluation: Evaluation }
  | { readonly kind: 'done'; readonly trial: Trial }
  | { readonly kind: 'pruned'; readonly trial: Trial; readonly step: number }
  | { readonly kind: 'failed'; readonly trial: Trial; readonly reason: string }
  | { readonly kind: 'interrupted'; readonly trial: Trial }
  | { readonly kind: 'budget'; readonly spent: string };

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
  readonly pruned: number;
  /** Stopped when the budget ran out (resumable). */
  readonly stopped: number;
  /** Done before this run started. */
  readonly skipped: number;
}

/** As many trials at once as the cores allow, given each run's worker threads. */
export function defaultParallel(workersPerRun = 1): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, workersPerRun)));
}

export async function runLocal(definition: SweepDefinition, dir: string, options: LocalOptions): Promise<SweepCounts> {
  const spec = join(dir, SPEC_FILE);
  const specText = definition.spec.text;
  // The trials run the sweep's copy of the spec: its relative data paths still mean the original's folder.
  const dataBase = dirname(resolve(definition.spec.path));
  const pruner = definition.options.pruner ? prunerNamed(definition.options.pruner.name) : undefined;
  const maxSteps = definition.options.pruner?.maxResource ?? definition.options.schedule.steps ?? Number.POSITIVE_INFINITY;
  const settings = pruner ? prunerSettings(definition) : undefined;
  const budget = definition.options.budget;
  const started = performance.now();
  const initial = allTrials(definition, dir);
  const counts = { done: 0, failed: 0, interrupted: 0, pruned: 0, stopped: 0, skipped: initial.filter((t) => trialState(trialFolder(dir, t.id)).state === 'done').length };
  const running = new Set<string>();
  /** Failed or interrupted in this run: not tried again until the next. */
  const settled = new Set<string>();
  let budgetSpent = false;
  let announced = false;

  const spendCheck = (): boolean => {
    if (budgetSpent || !budget) return budgetSpent;
    if ('seconds' in budget) budgetSpent = (performance.now() - started) / 1000 >= budget.seconds;
    else budgetSpent = spentSteps(trialCurves(definition, dir, allTrials(definition, dir))) >= budget.steps;
    if (budgetSpent && !announced) {
      announced = true;
      options.onEvent?.({ kind: 'budget', spent: 'seconds' in budget ? `${budget.seconds} s` : `${budget.steps} steps` });
    }
    return budgetSpent;
  };

  /** The next trial to run: one left to finish, a promoted one, or a new draw; 'wait' when only a running trial's end can tell. */
  const next = (): { trial: Trial; promoted: boolean } | 'wait' | undefined => {
    if (spendCheck()) return undefined;
    const trials = allTrials(definition, dir);
    const open = trials.find((t) => !running.has(t.id) && !settled.has(t.id) && ['pending', 'interrupted', 'failed'].includes(trialState(trialFolder(dir, t.id)).state));
    if (open) return { trial: open, promoted: false };
    if (pruner && settings) {
      const stopped = new Map<string, number>();
      for (const t of trials) {
        const state = trialState(trialFolder(dir, t.id));
        if (state.state === 'pruned' && !running.has(t.id)) stopped.set(t.id, state.step);
      }
      const promoted = pruner.promote(stopped, trialCurves(definition, dir, trials), settings);
      if (promoted !== undefined) return { trial: trials.find((t) => t.id === promoted)!, promoted: true };
    }
    if (definition.options.search) {
      const drawn = drawNext(definition, dir, specText, running);
      if (drawn) return { trial: drawn, promoted: false };
    }
    return running.size > 0 && pruner ? 'wait' : undefined;
  };

  const verdict = (trial: Trial, evaluation: Evaluation): Verdict => {
    const trials = allTrials(definition, dir);
    const curves = trialCurves(definition, dir, trials);
    const value = metricValue(evaluation, definition.metric.name);
    appendEvent(dir, { trial: trial.id, step: evaluation.step, ...(value !== undefined ? { value } : {}), spent: spentSteps(curves) });
    if (spendCheck() && evaluation.step < maxSteps) return 'stop';
    if (!pruner || !settings || evaluation.step >= maxSteps) return 'continue';
    return pruner.decide(trial.id, evaluation.step, curves, settings);
  };

  const runOne = async (trial: Trial, promoted: boolean): Promise<void> => {
    const out = trialFolder(dir, trial.id);
    const resumed = ['interrupted', 'pruned'].includes(trialState(out).state) || (trialState(out).state === 'failed' && existsSync(checkpointPath(out)));
    clearFailure(out);
    clearPruned(out);
    options.onEvent?.({ kind: 'start', trial, resumed, ...(promoted ? { promoted } : {}) });
    const outcome = await runTrial(
      {
        spec,
        overrides: trialOverrides(definition, trial),
        seed: trial.seed,
        schedule: definition.options.schedule,
        out,
        dataBase,
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
      },
      {
        onEvaluation: (evaluation) => {
          options.onEvent?.({ kind: 'evaluation', trial, evaluation });
          return verdict(trial, evaluation);
        },
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.abandon ? { abandon: options.abandon } : {}),
      },
    );
    if (outcome.status === 'done') {
      counts.done++;
      options.onEvent?.({ kind: 'done', trial });
    } else if (outcome.status === 'stopped' && !budgetSpent) {
      counts.pruned++;
      recordPruned(out, outcome.step);
      options.onEvent?.({ kind: 'pruned', trial, step: outcome.step });
    } else if (outcome.status === 'stopped') {
      // The budget ran out: the trial keeps its checkpoint, for a sweep given a larger budget.
      counts.stopped++;
      settled.add(trial.id);
      options.onEvent?.({ kind: 'interrupted', trial });
    } else if (outcome.status === 'interrupted') {
      counts.interrupted++;
      settled.add(trial.id);
      options.onEvent?.({ kind: 'interrupted', trial });
    } else {
      counts.failed++;
      settled.add(trial.id);
      recordFailure(out, outcome.reason);
      options.onEvent?.({ kind: 'failed', trial, reason: outcome.reason });
    }
  };

  // A lane that finds nothing to run while others run waits for one of them to end: it may free a promotion.
  let wake: () => void = () => undefined;
  let ended = new Promise<void>((resolve) => (wake = resolve));
  const lane = async (): Promise<void> => {
    while (!options.signal?.aborted) {
      const job = next();
      if (job === undefined) return;
      if (job === 'wait') {
        await ended;
        continue;
      }
      running.add(job.trial.id);
      try {
        await runOne(job.trial, job.promoted);
      } finally {
        running.delete(job.trial.id);
        const w = wake;
        ended = new Promise<void>((resolve) => (wake = resolve));
        w();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, lane));
  return counts;
}
