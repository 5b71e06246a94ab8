/**
 * Runs one trial as `graphc run` in a child process, into its run folder:
 * from the start, or resumed from the folder's checkpoint when it has one.
 * The child has a process group of its own, so a Ctrl-C reaches it once,
 * forwarded from here: it finishes its step and keeps a checkpoint.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkpointPath } from '../../runtime/checkpoint.js';
import { readMetrics, readSummary, type Evaluation, type RunSummary } from '../../runtime/run-folder.js';
import type { TrialSchedule } from './definition.js';

const GRAPHC = fileURLToPath(new URL('../../../bin/graphc.js', import.meta.url));

export interface TrialRun {
  /** The spec file (a sweep's spec.yaml). */
  readonly spec: string;
  /** --set arguments. */
  readonly overrides: readonly string[];
  readonly seed: number;
  readonly schedule: TrialSchedule;
  /** The trial's run folder. */
  readonly out: string;
  readonly backend?: string;
  /** Worker threads of the run (graphc run --workers). */
  readonly workers?: number;
}

export type TrialOutcome =
  | { readonly status: 'done'; readonly summary: Partial<RunSummary> }
  | { readonly status: 'interrupted' }
  | { readonly status: 'failed'; readonly reason: string };

export interface TrialHooks {
  /** After each evaluation the trial logs. */
  readonly onEvaluation?: (evaluation: Evaluation) => void;
  /** First abort: the trial stops after its step, with a checkpoint; a second: at once. */
  readonly signal?: AbortSignal;
  readonly abandon?: AbortSignal;
  /**
   * The child exits at once when this process dies (even by kill -9): it
   * watches a pipe from here (GRAPHC_EXIT_WITH_PARENT), so a dead queue
   * worker's trial never writes its run folder beside the worker that takes
   * the trial over.
   */
  readonly exitWithParent?: boolean;
}

/** The `graphc run` arguments for a trial: resumed when its folder has a checkpoint. */
export function trialArguments(run: TrialRun): string[] {
  // A trial's module is compiled into its own folder (or, with --set, as a variant): never into the project's generated/.
  const common = ['--no-progress', ...(run.backend ? ['--backend', run.backend] : []), '--workers', String(run.workers ?? 1), '--out-dir', run.out];
  if (existsSync(checkpointPath(run.out))) {
    return ['run', '--resume', run.out, ...(run.schedule.steps !== undefined ? ['--steps', String(run.schedule.steps)] : []), ...common];
  }
  const s = run.schedule;
  return [
    'run',
    run.spec,
    ...run.overrides.flatMap((o) => ['--set', o]),
    '--seed',
    String(run.seed),
    ...(s.steps !== undefined ? ['--steps', String(s.steps)] : []),
    ...(s.evalEvery !== undefined ? ['--eval-every', String(s.evalEvery)] : []),
    ...(s.evalBatches !== undefined ? ['--eval-batches', String(s.evalBatches)] : []),
    ...(s.batchSize !== undefined ? ['--batch-size', String(s.batchSize)] : []),
    '--out',
    run.out,
    ...common,
  ];
}

/** Set in a trial's environment: its stdin is a pipe from the parent, and its end means the parent is gone. */
export const EXIT_WITH_PARENT = 'GRAPHC_EXIT_WITH_PARENT';

export function runTrial(run: TrialRun, hooks: TrialHooks = {}): Promise<TrialOutcome> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    if (hooks.exitWithParent) env[EXIT_WITH_PARENT] = '1';
    else delete env[EXIT_WITH_PARENT];
    const child = spawn(process.execPath, [GRAPHC, ...trialArguments(run)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env,
    });
    // Without exitWithParent the child reads nothing from stdin (its end means nothing to it).
    child.stdin.on('error', () => undefined);
    if (!hooks.exitWithParent) child.stdin.end();
    let stderr = '';
    let seen = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    // Each evaluation prints a line and then rewrites metrics.jsonl: report what it holds that is new.
    const reportNew = (): void => {
      if (!hooks.onEvaluation) return;
      let evaluations: Evaluation[];
      try {
        evaluations = readMetrics(run.out);
      } catch {
        return;
      }
      for (const e of evaluations.slice(seen)) hooks.onEvaluation(e);
      seen = Math.max(seen, evaluations.length);
    };
    child.stdout.setEncoding('utf8').on('data', reportNew);
    const stop = (): void => void child.kill('SIGINT');
    hooks.signal?.addEventListener('abort', stop, { once: true });
    hooks.abandon?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => resolve({ status: 'failed', reason: error.message }));
    child.on('close', (code, signal) => {
      reportNew();
      hooks.signal?.removeEventListener('abort', stop);
      hooks.abandon?.removeEventListener('abort', stop);
      if (code === 0) {
        resolve({ status: 'done', summary: readSummary(run.out) ?? {} });
      } else if ((code === 130 || code === 143 || signal === 'SIGINT') && hooks.signal?.aborted) {
        resolve({ status: 'interrupted' });
      } else {
        resolve({ status: 'failed', reason: failureReason(stderr, code, signal) });
      }
    });
  });
}

/** The child's diagnostics (its `error GCxxx` lines), else the end of what it printed. */
function failureReason(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /\berror GC\d{3}\b|internal error/.test(l));
  const shown = errors.length > 0 ? errors : lines.slice(-3);
  const exit = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
  return shown.length > 0 ? `${shown.join('; ')} (${exit})` : exit;
}
