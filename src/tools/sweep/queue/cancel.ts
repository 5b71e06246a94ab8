/**
 * `graphc sweep cancel NAME --queue URL`: the sweep's trials that have not
 * finished are marked cancelled; waiting ones leave the queue, and a running
 * one is stopped by its worker (within a second, with a checkpoint) and fails
 * with GC776. Finished trials keep their results.
 */
import { keys } from './connection.js';
import { trialsOnQueue } from './search.js';
import { openSession, queuedDefinition } from './status.js';

export interface CancelOutcome {
  /** Trials taken off the queue before they ran. */
  readonly removed: number;
  /** Trials running now, which their workers stop. */
  readonly stopping: number;
  /** Trials already finished (kept). */
  readonly done: number;
}

export async function cancelSweep(name: string, url: string): Promise<CancelOutcome> {
  const session = await openSession(url);
  try {
    const definition = await queuedDefinition(session, name);
    // A search's drawn trials are in Redis, beside the listed ones.
    const ids = (definition.options.search ? await trialsOnQueue(session.redis, definition) : definition.trials).map((t) => t.id);
    const results = ids.length > 0 ? await session.redis.hmget(keys.results, ...ids) : [];
    const open = ids.filter((_, i) => !results[i]);
    if (open.length > 0) await session.redis.sadd(keys.cancelled, ...open);
    let removed = 0;
    let stopping = 0;
    for (const id of open) {
      const job = await session.queue.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'active') {
        stopping++;
        continue;
      }
      if (state === 'failed' || state === 'completed') continue;
      try {
        await job.remove();
        removed++;
      } catch {
        // Taken by a worker meanwhile: it sees the cancellation before it runs the trial.
        stopping++;
      }
    }
    return { removed, stopping, done: ids.length - open.length };
  } finally {
    await session.close();
  }
}
