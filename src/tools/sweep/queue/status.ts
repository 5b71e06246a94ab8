/**
 * Where a queued sweep stands: each trial's state (done and failed from
 * graphc's own hashes, the rest from its BullMQ job), the active trials' step
 * and metric (the jobs' progress), and the live workers (their heartbeats).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import type { SweepDefinition } from '../definition.js';
import { bullConnection, cliOptions, connect, keys, parseQueueUrl, PREFIX, QUEUE_NAME, type QueueTarget } from './connection.js';
import type { TrialProgress, TrialResult, WorkerInfo } from './jobs.js';
import { curvesOnQueue, prunedOnQueue, trialsOnQueue } from './search.js';

/** pruned: stopped by a searching sweep's pruner, with a checkpoint (resumed if it is promoted). */
export type QueuedTrialState = 'waiting' | 'active' | 'done' | 'pruned' | 'failed' | 'cancelled';

export interface QueuedTrialStatus {
  readonly id: string;
  readonly index: number;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly seed: number;
  readonly state: QueuedTrialState;
  /** The last evaluation's step and the sweep's metric there (active: from the job's progress; done: the final one). */
  readonly step?: number;
  readonly metric?: number;
  readonly worker?: string;
  /** Why it failed (its diagnostics). */
  readonly reason?: string;
}

export interface SweepStatus {
  readonly name: string;
  /** The queue's URL, its password redacted. */
  readonly url: string;
  readonly metric: string;
  readonly counts: Readonly<Record<QueuedTrialState, number>>;
  readonly workers: readonly WorkerInfo[];
  readonly trials: readonly QueuedTrialStatus[];
}

/** An open connection to the queue: graphc's own client and BullMQ's Queue. */
export interface QueueSession {
  readonly target: QueueTarget;
  readonly redis: Redis;
  readonly queue: Queue;
  close(): Promise<void>;
}

export async function openSession(url: string): Promise<QueueSession> {
  const target = parseQueueUrl(url);
  const redis = await connect(target);
  const { Queue } = await import('bullmq');
  const queue = new Queue(QUEUE_NAME, { connection: bullConnection(cliOptions(target)), prefix: PREFIX });
  await queue.waitUntilReady();
  return {
    target,
    redis,
    queue,
    close: async () => {
      await queue.close().catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}

/** The definition a sweep was submitted with: GC777 when the queue has none of that name. */
export async function queuedDefinition(session: QueueSession, name: string): Promise<SweepDefinition> {
  const text = await session.redis.get(keys.sweep(name));
  if (text === null) return fail('GC777', { name, url: session.target.display });
  return JSON.parse(text) as SweepDefinition;
}

/** The sweep names the queue holds. */
export async function queuedSweeps(url: string): Promise<string[]> {
  const session = await openSession(url);
  try {
    return (await session.redis.smembers(keys.sweeps)).sort();
  } finally {
    await session.close();
  }
}

/** `graphc sweep status NAME --queue URL`. */
export async function sweepStatus(name: string, url: string): Promise<SweepStatus> {
  const session = await openSession(url);
  try {
    return await statusOf(session, await queuedDefinition(session, name));
  } finally {
    await session.close();
  }
}

export async function statusOf(session: QueueSession, definition: SweepDefinition): Promise<SweepStatus> {
  const { redis, queue } = session;
  // A search's trials are drawn as it goes: the drawn ones are in Redis.
  const all = definition.options.search ? await trialsOnQueue(redis, definition) : definition.trials;
  const pruned = definition.options.pruner ? await prunedOnQueue(redis, definition.name) : new Map<string, number>();
  const ids = all.map((t) => t.id);
  const [results, failures, cancelled] =
    ids.length === 0
      ? [[], [], []]
      : await Promise.all([redis.hmget(keys.results, ...ids), redis.hmget(keys.failures, ...ids), redis.smismember(keys.cancelled, ...ids)]);
  const metricKey = definition.metric.name.replace(/^test\./, '');
  const trials: QueuedTrialStatus[] = [];
  for (const [i, trial] of all.entries()) {
    const base = { id: trial.id, index: trial.index, params: trial.params, seed: trial.seed };
    const done = (text: string): void => {
      const r = JSON.parse(text) as TrialResult;
      const last = r.metrics.at(-1);
      trials.push({ ...base, state: 'done', worker: r.worker, ...(last ? { step: last.step, ...metricOf(last.test, metricKey) } : {}) });
    };
    const result = results[i];
    if (result) {
      done(result);
      continue;
    }
    if (cancelled[i] === 1) {
      trials.push({ ...base, state: 'cancelled' });
      continue;
    }
    if (pruned.has(trial.id)) {
      const curve = (await curvesOnQueue(redis, [trial])).get(trial.id)!;
      const step = pruned.get(trial.id)!;
      trials.push({ ...base, state: 'pruned', step, ...(curve.has(step) ? { metric: curve.get(step)! } : {}) });
      continue;
    }
    const job = await queue.getJob(trial.id);
    const state = job ? await job.getState() : 'unknown';
    if (!job || state === 'completed' || state === 'unknown') {
      // Its job may have completed (and been removed) since the results were read: a worker records the result first.
      const late = await redis.hget(keys.results, trial.id);
      if (late) {
        done(late);
        continue;
      }
    }
    if (job && state === 'active') {
      const progress = job.progress as Partial<TrialProgress> | number | undefined;
      const p = typeof progress === 'object' && progress !== null ? progress : undefined;
      trials.push({
        ...base,
        state: 'active',
        ...(p?.step !== undefined ? { step: p.step } : {}),
        ...(p?.test ? metricOf(p.test, metricKey) : {}),
        ...(p?.worker ? { worker: p.worker } : {}),
      });
    } else if (job && state === 'failed') {
      trials.push({ ...base, state: 'failed', reason: job.failedReason || failures[i] || 'unknown' });
    } else if (job && state !== 'completed' && state !== 'unknown') {
      trials.push({ ...base, state: 'waiting' });
    } else if (failures[i]) {
      trials.push({ ...base, state: 'failed', reason: failures[i]! });
    } else {
      // No job and no result: removed from the queue by other means.
      trials.push({ ...base, state: 'cancelled' });
    }
  }
  const counts = { waiting: 0, active: 0, done: 0, pruned: 0, failed: 0, cancelled: 0 };
  for (const t of trials) counts[t.state]++;
  return { name: definition.name, url: session.target.display, metric: definition.metric.name, counts, workers: await liveWorkers(redis), trials };
}

function metricOf(test: Readonly<Record<string, number>>, key: string): { metric?: number } {
  const value = test[key];
  return typeof value === 'number' ? { metric: value } : {};
}

/** The workers whose heartbeat is fresh. */
export async function liveWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.workerPattern, 'COUNT', 100);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  if (found.length === 0) return [];
  const values = await redis.mget(...found);
  return values.flatMap((v) => (v ? [JSON.parse(v) as WorkerInfo] : [])).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The status as text: counts, workers, then a line a trial. */
export function formatStatus(status: SweepStatus): string {
  const c = status.counts;
  const lines = [
    `sweep ${status.name} on ${status.url}: ${c.done} done, ${c.active} active, ${c.waiting} waiting,${c.pruned > 0 ? ` ${c.pruned} pruned,` : ''} ${c.failed} failed, ${c.cancelled} cancelled`,
    `workers: ${status.workers.length === 0 ? 'none' : status.workers.map((w) => `${w.id} (${w.active.length}/${w.concurrency} busy)`).join(', ')}`,
  ];
  for (const t of status.trials) {
    const params = Object.entries(t.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    const progress = t.step !== undefined ? ` step ${t.step}` : '';
    const metric = t.metric !== undefined ? ` ${status.metric} ${t.metric.toFixed(4)}` : '';
    const reason = t.reason ? `: ${t.reason}` : '';
    lines.push(`  ${t.id} ${params}${params ? ' ' : ''}seed=${t.seed}: ${t.state}${progress}${metric}${reason}`);
  }
  return lines.join('\n');
}
