/**
 * `graphc sweep … --queue URL`: enqueues one job a trial (its id the trial's
 * id) for every trial the results hash does not hold yet, follows the workers'
 * progress live, and, when every trial is done, failed or cancelled (or on
 * Ctrl-C), writes the sweep folder here: sweep.json, and each finished trial's
 * metrics.jsonl and summary.json from the results hash (unless the folder,
 * shared with the workers as their --store, has them already).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeMetrics, writeSummary, type RunSummary } from '../../../runtime/run-folder.js';
import { trialOverrides, type SweepDefinition } from '../definition.js';
import { FAILURE_FILE, recordFailure, trialFolder, trialState, writeDefinition } from '../folder.js';
import { keys } from './connection.js';
import type { TrialJob, TrialResult } from './jobs.js';
import { openSession, statusOf, type QueueSession, type SweepStatus } from './status.js';

export interface QueuedOptions {
  /** The --queue URL. */
  readonly queue: string;
  /** Abort (Ctrl-C): stop following; the trials go on on the workers. */
  readonly signal?: AbortSignal;
  /** Each new status (default: a line to stderr when it changes). */
  readonly onStatus?: (status: SweepStatus) => void;
  /** How often the status is read besides BullMQ's events (ms). */
  readonly pollMs?: number;
}

export interface QueuedOutcome {
  readonly done: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Stopped following before every trial ended (the trials go on). */
  readonly interrupted: boolean;
}

/** 0 when every trial is done, 130 interrupted, 1 when some failed, 3 when some were cancelled (and none failed). */
export function queuedExitCode(outcome: QueuedOutcome): number {
  if (outcome.interrupted) return 130;
  if (outcome.failed > 0) return 1;
  if (outcome.cancelled > 0) return 3;
  return 0;
}

/** Submits the sweep and follows it to its end; the sweep folder is written at sweepDir. */
export async function runQueued(definition: SweepDefinition, sweepDir: string, options: QueuedOptions): Promise<QueuedOutcome> {
  const session = await openSession(options.queue);
  try {
    await submit(session, definition);
    const status = await follow(session, definition, options);
    await writeLocal(session, definition, sweepDir, status);
    return { done: status.counts.done, failed: status.counts.failed, cancelled: status.counts.cancelled, interrupted: !finished(status) };
  } finally {
    await session.close();
  }
}

/** Enqueues the trials without a result; a failed trial's old job is replaced, so it runs again. */
export async function submit(session: QueueSession, definition: SweepDefinition): Promise<{ queued: number; done: number }> {
  const { redis, queue } = session;
  const ids = definition.trials.map((t) => t.id);
  await redis.set(keys.sweep(definition.name), JSON.stringify(definition));
  await redis.sadd(keys.sweeps, definition.name);
  if (ids.length === 0) return { queued: 0, done: 0 };
  const results = await redis.hmget(keys.results, ...ids);
  const open = definition.trials.filter((_, i) => !results[i]);
  if (open.length > 0) {
    await redis.srem(keys.cancelled, ...open.map((t) => t.id));
    await redis.hdel(keys.failures, ...open.map((t) => t.id));
  }
  const jobs: { name: string; data: TrialJob; opts: { jobId: string; attempts: number; removeOnComplete: boolean; removeOnFail: boolean } }[] = [];
  for (const trial of open) {
    const existing = await queue.getJob(trial.id);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'failed' && state !== 'completed') continue;
      await existing.remove();
    }
    jobs.push({
      name: 'trial',
      data: {
        graphcVersion: definition.graphcVersion,
        sweep: definition.name,
        specText: definition.spec.text,
        trial,
        overrides: trialOverrides(definition, trial),
        schedule: definition.options.schedule,
      },
      opts: { jobId: trial.id, attempts: 1, removeOnComplete: true, removeOnFail: false },
    });
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
  return { queued: jobs.length, done: ids.length - open.length };
}

function finished(status: SweepStatus): boolean {
  return status.counts.waiting === 0 && status.counts.active === 0;
}

/** Reads the status on each BullMQ event and every pollMs until every trial has ended or the signal aborts. */
async function follow(session: QueueSession, definition: SweepDefinition, options: QueuedOptions): Promise<SweepStatus> {
  const show = options.onStatus ?? statusPrinter();
  const { QueueEvents } = await import('bullmq');
  const events = new QueueEvents(session.queue.name, { connection: session.queue.opts.connection, prefix: session.queue.opts.prefix ?? 'bull' });
  let wake: (() => void) | undefined;
  const poke = (): void => wake?.();
  for (const event of ['progress', 'completed', 'failed', 'active', 'waiting', 'removed', 'stalled'] as const) events.on(event, poke);
  events.on('error', () => undefined);
  options.signal?.addEventListener('abort', poke, { once: true });
  try {
    for (;;) {
      const status = await statusOf(session, definition);
      show(status);
      if (finished(status) || options.signal?.aborted) return status;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 1_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    options.signal?.removeEventListener('abort', poke);
    await events.close().catch(() => undefined);
  }
}

/** The default display: the counts and active trials, on one line redrawn on a terminal, else a line when they change. */
function statusPrinter(): (status: SweepStatus) => void {
  let last = '';
  const reported = new Set<string>();
  return (status) => {
    for (const t of status.trials) {
      if ((t.state === 'done' || t.state === 'failed') && !reported.has(t.id)) {
        reported.add(t.id);
        if (t.state === 'failed') process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}graphc: trial ${t.id} failed: ${t.reason ?? 'unknown'}\n`);
      }
    }
    const c = status.counts;
    const active = status.trials
      .filter((t) => t.state === 'active')
      .map((t) => `${t.id}${t.step !== undefined ? ` step ${t.step}` : ''}${t.metric !== undefined ? ` ${status.metric} ${t.metric.toFixed(4)}` : ''}`);
    const line = `graphc: sweep ${status.name}: ${c.waiting} waiting, ${c.active} active, ${c.done} done, ${c.failed} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ''}; ${status.workers.length} worker${status.workers.length === 1 ? '' : 's'}${active.length ? ` (${active.join(', ')})` : ''}`;
    if (line === last) return;
    last = line;
    process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
    if (process.stderr.isTTY && finished(status)) process.stderr.write('\n');
  };
}

/** sweep.json here, and each finished trial's run folder (from the results hash when the folder lacks it). */
async function writeLocal(session: QueueSession, definition: SweepDefinition, sweepDir: string, status: SweepStatus): Promise<void> {
  writeDefinition(sweepDir, definition);
  for (const trial of status.trials) {
    const dir = trialFolder(sweepDir, trial.id);
    if (trial.state === 'done') {
      if (trialState(dir).state === 'done') continue;
      const text = await session.redis.hget(keys.results, trial.id);
      if (text === null) continue;
      const result = JSON.parse(text) as TrialResult;
      writeMetrics(dir, result.metrics);
      writeSummary(dir, result.summary as unknown as RunSummary);
    } else if (trial.state === 'failed' && !existsSync(join(dir, FAILURE_FILE))) {
      recordFailure(dir, trial.reason ?? 'unknown');
    }
  }
}
