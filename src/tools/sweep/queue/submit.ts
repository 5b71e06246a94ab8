/**
 * `graphc sweep … --queue URL`: enqueues one job a trial (its id the trial's
 * id) for every trial the results hash does not hold yet, follows the workers'
 * progress live, and, when every trial is done, failed or cancelled (or on
 * Ctrl-C), writes the sweep folder here: sweep.json, and each finished trial's
 * metrics.jsonl and summary.json from the results hash (unless the folder,
 * shared with the workers as their --store, has them already).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../../../common/fs.js';
import { join } from 'node:path';
import { writeMetrics, writeSummary, type RunSummary } from '../../../runtime/run_folder.js';
import { hostname } from 'node:os';
import { trialOverrides, type SweepDefinition, type Trial } from '../definition.js';
import { FAILURE_FILE, recordFailure, recordPruned, trialFolder, trialState, writeDefinition } from '../folder.js';
import { DRAWS_DIR, EVENTS_FILE, spentSteps } from '../search.js';
import { curvesOnQueue, drawnOnQueue, drawOnQueue, eventsOnQueue, jobSearch, promoteOnQueue, searchKeys, trialsOnQueue } from './search.js';
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
  /** A search's trials in flight at once (default: the live workers' concurrency, summed). */
  readonly parallel?: number;
}

export interface QueuedOutcome {
  readonly done: number;
  /** Stopped by a searching sweep's pruner (and not promoted to the end). */
  readonly pruned?: number;
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
    const searching = definition.options.search !== undefined || definition.options.pruner !== undefined;
    const status = searching ? await coordinate(session, definition, options) : await follow(session, definition, options);
    await writeLocal(session, definition, sweepDir, status);
    const pruned = searching ? { pruned: status.counts.pruned } : {};
    return { done: status.counts.done, ...pruned, failed: status.counts.failed, cancelled: status.counts.cancelled, interrupted: !finished(status) || (searching && options.signal?.aborted === true) };
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
    jobs.push(trialJob(definition, trial));
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
  return { queued: jobs.length, done: ids.length - open.length };
}

function trialJob(definition: SweepDefinition, trial: Trial): { name: string; data: TrialJob; opts: { jobId: string; attempts: number; removeOnComplete: boolean; removeOnFail: boolean } } {
  const search = jobSearch(definition);
  return {
    name: 'trial',
    data: {
      graphcVersion: definition.graphcVersion,
      sweep: definition.name,
      specText: definition.spec.text,
      trial,
      overrides: trialOverrides(definition, trial),
      schedule: definition.options.schedule,
      ...(search ? { search } : {}),
    },
    opts: { jobId: trial.id, attempts: 1, removeOnComplete: true, removeOnFail: false },
  };
}

/** One trial onto the queue (a drawn or promoted one); its old job, if BullMQ still holds it finished, goes first. */
async function enqueue(session: QueueSession, definition: SweepDefinition, trial: Trial): Promise<void> {
  const existing = await session.queue.getJob(trial.id);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'failed' && state !== 'completed') return;
    await existing.remove();
  }
  const job = trialJob(definition, trial);
  await session.queue.add(job.name, job.data, job.opts);
}

/**
 * A searching sweep's coordinator: keeps `parallel` trials in flight, each
 * free slot taken first by a trial the pruner promotes (claimed atomically in
 * Redis), else by a new draw (claimed likewise), until the sampler has nothing
 * left, --budget is spent or every trial has ended. Two coordinators of the
 * same sweep share the work: neither draws nor promotes what the other did.
 * --budget (steps or time) stops new trials and promotions; running ones finish.
 */
async function coordinate(session: QueueSession, definition: SweepDefinition, options: QueuedOptions): Promise<SweepStatus> {
  const show = options.onStatus ?? statusPrinter();
  const by = `coordinator-${hostname()}-${process.pid}`;
  const budget = definition.options.budget;
  const started = performance.now();
  const changes = await queueChanges(session, options, ['completed', 'failed', 'active', 'waiting', 'removed', 'stalled']);
  const spent = async (): Promise<boolean> => {
    if (!budget) return false;
    if ('seconds' in budget) return (performance.now() - started) / 1000 >= budget.seconds;
    return spentSteps(await curvesOnQueue(session.redis, await trialsOnQueue(session.redis, definition))) >= budget.steps;
  };
  try {
    for (;;) {
      let status = await statusOf(session, definition);
      if (options.signal?.aborted) return status;
      const running = new Set(status.trials.filter((t) => t.state === 'waiting' || t.state === 'active').map((t) => t.id));
      const capacity = options.parallel ?? Math.max(1, status.workers.reduce((n, w) => n + w.concurrency, 0));
      let added = 0;
      // A cancelled sweep (graphc sweep cancel) draws and promotes no more.
      while (status.counts.cancelled === 0 && running.size < capacity && !(await spent())) {
        const promoted = await promoteOnQueue(session.redis, definition, by);
        const trial = promoted?.trial ?? (definition.options.search ? await drawOnQueue(session.redis, definition, running) : undefined);
        if (!trial) break;
        await enqueue(session, definition, trial);
        running.add(trial.id);
        added++;
      }
      if (added > 0) status = await statusOf(session, definition);
      show(status);
      if (finished(status)) return status;
      await changes.next();
    }
  } finally {
    await changes.close();
  }
}

function finished(status: SweepStatus): boolean {
  return status.counts.waiting === 0 && status.counts.active === 0;
}

/** Reads the status on each BullMQ event and every pollMs until every trial has ended or the signal aborts. */
async function follow(session: QueueSession, definition: SweepDefinition, options: QueuedOptions): Promise<SweepStatus> {
  const show = options.onStatus ?? statusPrinter();
  const changes = await queueChanges(session, options, ['progress', 'completed', 'failed', 'active', 'waiting', 'removed', 'stalled']);
  try {
    for (;;) {
      const status = await statusOf(session, definition);
      show(status);
      if (finished(status) || options.signal?.aborted) return status;
      await changes.next();
    }
  } finally {
    await changes.close();
  }
}

type QueueEventName = 'progress' | 'completed' | 'failed' | 'active' | 'waiting' | 'removed' | 'stalled';

/**
 * Waits for the queue to change: `next()` resolves on the first of the given
 * BullMQ events, the signal's abort, or pollMs (events can be missed while
 * Redis reconnects, so the poll is the floor).
 */
async function queueChanges(session: QueueSession, options: QueuedOptions, names: readonly QueueEventName[]): Promise<{ next(): Promise<void>; close(): Promise<void> }> {
  const { QueueEvents } = await import('bullmq');
  const events = new QueueEvents(session.queue.name, { connection: session.queue.opts.connection, prefix: session.queue.opts.prefix ?? 'bull' });
  let wake: (() => void) | undefined;
  const poke = (): void => wake?.();
  for (const name of names) events.on(name, poke);
  events.on('error', () => undefined);
  options.signal?.addEventListener('abort', poke, { once: true });
  return {
    next: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve();
        }, options.pollMs ?? 1_000);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      }),
    close: async () => {
      options.signal?.removeEventListener('abort', poke);
      await events.close().catch(() => undefined);
    },
  };
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
    const line = `graphc: sweep ${status.name}: ${c.waiting} waiting, ${c.active} active, ${c.done} done, ${c.pruned ? `${c.pruned} pruned, ` : ''}${c.failed} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ''}; ${status.workers.length} worker${status.workers.length === 1 ? '' : 's'}${active.length ? ` (${active.join(', ')})` : ''}`;
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
    } else if (trial.state === 'pruned') {
      if (trialState(dir).state !== 'pruned') {
        const text = await session.redis.hget(searchKeys.partial, trial.id);
        if (text !== null) writeMetrics(dir, (JSON.parse(text) as TrialResult).metrics);
        recordPruned(dir, trial.step ?? 0);
      }
    } else if (trial.state === 'failed' && !existsSync(join(dir, FAILURE_FILE))) {
      recordFailure(dir, trial.reason ?? 'unknown');
    }
  }
  if (!definition.options.search) return;
  // The drawn trials and the sweep's events, as a local search writes them (the report reads them there).
  mkdirSync(join(sweepDir, DRAWS_DIR), { recursive: true });
  for (const [index, trial] of (await drawnOnQueue(session.redis, definition.name)).entries()) {
    writeFileAtomic(join(sweepDir, DRAWS_DIR, `${String(index).padStart(5, '0')}.json`), `${JSON.stringify(trial)}\n`);
  }
  const lines = (await eventsOnQueue(session.redis, definition.name)).map((e) => JSON.stringify(e));
  writeFileAtomic(join(sweepDir, EVENTS_FILE), lines.length > 0 ? `${lines.join('\n')}\n` : '');
}
