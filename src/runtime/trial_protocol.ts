/**
 * The trial protocol: how a sweep (here, or a queue worker) runs one trial as
 * a child `graphc run`, in one place for both ends.
 *
 * - Arguments: trialArguments, the `graphc run` command line of a trial (a
 *   resume when its run folder has a checkpoint).
 * - Exit with the parent: the child's stdin is a pipe from the parent; its end
 *   means the parent died (even by kill -9), and the child exits at once, so a
 *   dead worker's trial never writes its run folder beside its successor.
 * - Progress: after each evaluation (and its checkpoint) the child prints one
 *   `graphc-trial {json}` line on stdout and waits for the parent's verdict on
 *   stdin: `continue`, or `stop` (a pruner's: the trial stops there, its
 *   checkpoint at that step, and a later run can resume it).
 * - The final result: an `end` message with the last step, then exit code 0.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkpointPath } from './checkpoint.js';
import { readSummary, type Evaluation, type RunSummary } from './run_folder.js';

/** Set in a trial's environment: its parent speaks this protocol. */
export const TRIAL_ENV = 'GRAPHC_TRIAL';
const MARK = 'graphc-trial ';

export type Verdict = 'continue' | 'stop';

export type TrialMessage =
  | { readonly kind: 'evaluation'; readonly evaluation: Evaluation }
  | { readonly kind: 'end'; readonly steps: number; readonly interrupted: boolean };

/** What every trial of a sweep shares: the schedule's overrides (absent: the spec's own). */
export interface TrialSchedule {
  readonly steps?: number;
  readonly evalEvery?: number;
  readonly evalBatches?: number;
  readonly batchSize?: number;
}

export interface TrialRun {
  /** The spec file. */
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
  /** Where the trial's module is compiled to (never the project's generated/). */
  readonly moduleDir?: string;
  /** The folder of the spec the sweep copied: its relative data paths are read from there (graphc run --data-base). */
  readonly dataBase?: string;
}

/** The `graphc run` arguments of a trial: resumed when its folder has a checkpoint. */
export function trialArguments(run: TrialRun): string[] {
  // A trial's module is compiled into its own folder (or, with --set, as a variant): never into the project's generated/.
  const common = ['--no-progress', ...(run.backend ? ['--backend', run.backend] : []), ...(run.dataBase !== undefined ? ['--data-base', run.dataBase] : []), '--workers', String(run.workers ?? 1), '--out-dir', run.moduleDir ?? run.out];
  const s = run.schedule;
  const steps = s.steps !== undefined ? ['--steps', String(s.steps)] : [];
  if (existsSync(checkpointPath(run.out))) return ['run', '--resume', run.out, ...steps, ...common];
  return [
    'run',
    run.spec,
    ...run.overrides.flatMap((o) => ['--set', o]),
    '--seed',
    String(run.seed),
    ...steps,
    ...(s.evalEvery !== undefined ? ['--eval-every', String(s.evalEvery)] : []),
    ...(s.evalBatches !== undefined ? ['--eval-batches', String(s.evalBatches)] : []),
    ...(s.batchSize !== undefined ? ['--batch-size', String(s.batchSize)] : []),
    '--out',
    run.out,
    ...common,
  ];
}

// ---- The parent's end ----

export type TrialOutcome =
  | { readonly status: 'done'; readonly summary: Partial<RunSummary> }
  /** Stopped by a `stop` verdict, at `step`, with a checkpoint. */
  | { readonly status: 'stopped'; readonly step: number }
  | { readonly status: 'interrupted' }
  | { readonly status: 'failed'; readonly reason: string };

export interface TrialHooks {
  /** After each evaluation the trial logs (and checkpoints): the verdict, `continue` when none. */
  readonly onEvaluation?: (evaluation: Evaluation) => Verdict | void | Promise<Verdict | void>;
  /** First abort: the trial stops after its step, with a checkpoint; a second: at once. */
  readonly signal?: AbortSignal;
  readonly abandon?: AbortSignal;
}

/** Runs `node script ...args` as a trial that speaks this protocol. */
export function spawnTrial(script: string, args: readonly string[], out: string, hooks: TrialHooks = {}): Promise<TrialOutcome> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', [TRIAL_ENV]: '1' };
    // A process group of its own: a Ctrl-C reaches it once, forwarded from here.
    const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    let stoppedAt: number | undefined;
    let end: Extract<TrialMessage, { kind: 'end' }> | undefined;
    // Verdicts in the order of the evaluations, even when a hook answers late.
    let answering: Promise<void> = Promise.resolve();
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(MARK)) return;
      const message = JSON.parse(line.slice(MARK.length)) as TrialMessage;
      if (message.kind === 'end') {
        end = message;
        return;
      }
      const { evaluation } = message;
      answering = answering.then(async () => {
        let verdict: Verdict = 'continue';
        try {
          verdict = (await hooks.onEvaluation?.(evaluation)) ?? 'continue';
        } catch {
          // A hook that fails does not decide: the trial goes on.
        }
        if (verdict === 'stop') stoppedAt = evaluation.step;
        if (child.stdin.writable) child.stdin.write(`${verdict}\n`);
      });
    });
    const stop = (): void => void child.kill('SIGINT');
    hooks.signal?.addEventListener('abort', stop, { once: true });
    hooks.abandon?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => resolve({ status: 'failed', reason: error.message }));
    child.on('close', (code, signal) => {
      void answering.then(() => {
        child.stdin.end();
        hooks.signal?.removeEventListener('abort', stop);
        hooks.abandon?.removeEventListener('abort', stop);
        if (code === 0 && stoppedAt !== undefined && end?.interrupted) resolve({ status: 'stopped', step: end.steps });
        else if (code === 0) resolve({ status: 'done', summary: readSummary(out) ?? {} });
        else if ((code === 130 || code === 143 || signal === 'SIGINT') && hooks.signal?.aborted) resolve({ status: 'interrupted' });
        else resolve({ status: 'failed', reason: failureReason(stderr, code, signal) });
      });
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

// ---- The child's end ----

export interface TrialChannel {
  /** Reports an evaluation; resolves to the parent's verdict. */
  evaluated(evaluation: Evaluation): Promise<Verdict>;
  /** Reports how the run ended. */
  ended(steps: number, interrupted: boolean): void;
  dispose(): void;
}

/** Whether this process is a sweep's trial. */
export function isTrial(): boolean {
  return process.env[TRIAL_ENV] === '1';
}

/** The channel to the parent, when this process is a trial (TRIAL_ENV); the process exits when the parent goes. */
export function trialChannel(): TrialChannel | undefined {
  if (!isTrial()) return undefined;
  const waiting: ((verdict: Verdict) => void)[] = [];
  const orphaned = (): void => process.exit(137);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => waiting.shift()?.(line.trim() === 'stop' ? 'stop' : 'continue'));
  lines.on('close', orphaned);
  process.stdin.on('error', orphaned);
  const send = (message: TrialMessage): void => void process.stdout.write(`${MARK}${JSON.stringify(message)}\n`);
  return {
    evaluated: (evaluation) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        send({ kind: 'evaluation', evaluation });
      }),
    ended: (steps, interrupted) => send({ kind: 'end', steps, interrupted }),
    dispose: () => {
      lines.off('close', orphaned);
      process.stdin.off('error', orphaned);
      lines.close();
      process.stdin.destroy();
    },
  };
}
