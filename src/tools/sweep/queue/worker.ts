/**
 * `graphc worker`: takes trials off the queue and runs each as a child
 * `graphc run` (runTrial) into <store>/<sweep>/trials/<trial id>/, a folder
 * every worker can read, so that a trial whose worker died is resumed from
 * its last checkpoint by the worker BullMQ hands it to (stalled-job
 * detection). A finished trial is recorded once (HSETNX) in the results hash,
 * which is the source of truth: a job for a trial already there is not run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job } from 'bullmq';
import { readMetrics, SUMMARY_FILE, type Evaluation } from '../../../runtime/run_folder.js';
import { writeFileAtomic } from '../../../common/fs.js';
import { graphcVersion } from '../../../common/version.js';
import type { TrialOutcome } from '../../../runtime/trial_protocol.js';
import { runTrial } from '../executor.js';
import { metricValue, type SweepDefinition } from '../definition.js';
import { clearFailure, clearPruned, recordFailure, recordPruned, SPEC_FILE, SWEEPS_DIR, trialFolder } from '../folder.js';
import { bullConnection, connect, keys, parseQueueUrl, PREFIX, QUEUE_NAME, workerOptions } from './connection.js';
import { evaluateOnQueue, resumeOnQueue, searchKeys } from './search.js';
import { malformedField, MAX_JOB_BYTES, reasonOf, type TrialJob, type TrialProgress, type TrialResult, type WorkerInfo } from './jobs.js';

export interface WorkerSettings {
  /** The --queue URL. */
  readonly queue: string;
  /** Trials at once. */
  readonly concurrency: number;
  /** The shared folder of sweeps (default sweeps/). */
  readonly store?: string;
  /** How long a trial's lock lasts without renewal: a dead worker's trial moves to another after about this long (ms). */
  readonly lockDuration?: number;
  readonly maxJobBytes?: number;
  readonly backend?: string;
  /** Where the worker says what it does (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface WorkerControl {
  /** First signal: each running trial finishes its step, checkpoints and goes back to the queue; then the worker stops. */
  readonly stop: AbortSignal;
  /** Second signal: the trials stop at once (their last checkpoints stand). */
  readonly abandon: AbortSignal;
}

export const DEFAULT_LOCK_DURATION_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const CANCEL_POLL_MS = 1_000;

/** Runs the worker until control.stop aborts and its trials are handed back. */
export async function runWorker(settings: WorkerSettings, control: WorkerControl): Promise<void> {
  const log = settings.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const target = parseQueueUrl(settings.queue);
  const redis = await connect(target, workerOptions(target));
  const { Worker, WaitingError, UnrecoverableError } = await import('bullmq');
  const store = resolve(settings.store ?? SWEEPS_DIR);
  const maxJobBytes = settings.maxJobBytes ?? MAX_JOB_BYTES;
  const version = graphcVersion();
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const active = new Set<string>();

  const heartbeat = async (): Promise<void> => {
    const info: WorkerInfo = { id, host: hostname(), pid: process.pid, concurrency: settings.concurrency, graphcVersion: version, active: [...active] };
    await redis.set(keys.worker(id), JSON.stringify(info), 'EX', Math.ceil((HEARTBEAT_MS * 3) / 1000)).catch(() => undefined);
  };
  await heartbeat();
  const beat = setInterval(() => void heartbeat(), HEARTBEAT_MS);

  const processor = async (job: Job<TrialJob>, token?: string): Promise<string> => {
    const jobId = job.id ?? '?';
    const bytes = Buffer.byteLength(JSON.stringify(job.data ?? null), 'utf8');
    if (bytes > maxJobBytes) throw new UnrecoverableError(reasonOf('GC774', { trial: jobId, bytes, limit: maxJobBytes }));
    // Another graphc's job may have another shape: its version is checked first.
    const jobVersion = (job.data as { graphcVersion?: unknown } | null)?.graphcVersion;
    if (typeof jobVersion === 'string' && jobVersion !== version) throw new UnrecoverableError(reasonOf('GC773', { trial: jobId, jobVersion, workerVersion: version }));
    const field = malformedField(job.data);
    if (field !== undefined) throw new UnrecoverableError(reasonOf('GC775', { trial: jobId, field }));
    const data = job.data;
    const trialId = data.trial.id;
    if ((await redis.hexists(keys.results, trialId)) === 1) return 'already done';
    if ((await redis.sismember(keys.cancelled, trialId)) === 1) throw new UnrecoverableError(reasonOf('GC776', { trial: trialId, sweep: data.sweep }));

    const dir = trialFolder(join(store, data.sweep), trialId);
    const spec = specFile(join(store, data.sweep), data.specText);
    clearFailure(dir);
    clearPruned(dir);
    // A searching sweep's trial: the pruner's verdicts need the sweep's other trials, listed in its definition and draws.
    const sweepText = data.search ? await redis.get(keys.sweep(data.sweep)) : null;
    const definition = sweepText !== null ? (JSON.parse(sweepText) as SweepDefinition) : undefined;
    /** Pruned: its checkpoint stays in the store, for the worker that resumes it if it is promoted. */
    const recordPrunedTrial = async (step: number): Promise<void> => {
      recordPruned(dir, step);
      const partial: TrialResult = { trial: trialId, sweep: data.sweep, worker: id, summary: readJson(join(dir, SUMMARY_FILE)), metrics: readMetrics(dir) };
      await redis.hset(searchKeys.partial, trialId, JSON.stringify(partial));
      await redis.hset(searchKeys.pruned(data.sweep), trialId, String(step));
      await redis.hdel(keys.failures, trialId);
      log(`graphc worker: trial ${trialId} pruned at step ${step}`);
    };
    // Resumed after its last worker died: the pruner's verdict where the checkpoint stands, recorded or made now.
    const stoppedAt = data.search && definition && existsSync(join(dir, 'checkpoint.gck')) ? await resumeOnQueue(redis, definition, data.search, trialId, safeMetrics(dir), id) : undefined;
    if (stoppedAt !== undefined) {
      log(`graphc worker: trial ${trialId} of sweep ${data.sweep}: resuming from its checkpoint at step ${stoppedAt}, where the pruner stops it`);
      await recordPrunedTrial(stoppedAt);
      return 'pruned';
    }
    const cancel = new AbortController();
    const stopTrial = new AbortController();
    const onStop = (): void => stopTrial.abort();
    control.stop.addEventListener('abort', onStop, { once: true });
    if (control.stop.aborted) stopTrial.abort();
    const poll = setInterval(() => {
      void redis.sismember(keys.cancelled, trialId).then(
        (member) => {
          if (member === 1 && !cancel.signal.aborted) {
            cancel.abort();
            stopTrial.abort();
          }
        },
        () => undefined,
      );
    }, CANCEL_POLL_MS);
    active.add(trialId);
    void heartbeat();
    log(`graphc worker: trial ${trialId} of sweep ${data.sweep}: ${existsSync(join(dir, 'checkpoint.gck')) ? 'resuming from its checkpoint' : 'starting'}`);
    let outcome: TrialOutcome;
    try {
      outcome = await runTrial(
        { spec, overrides: data.overrides, seed: data.trial.seed, schedule: data.schedule, out: dir, workers: 1, ...(settings.backend ? { backend: settings.backend } : {}) },
        {
          signal: stopTrial.signal,
          abandon: control.abandon,
          onEvaluation: async (e) => {
            const progress: TrialProgress = { step: e.step, test: e.test, worker: id };
            void job.updateProgress(progress as unknown as object).catch(() => undefined);
            if (!data.search || !definition) return 'continue';
            return evaluateOnQueue(redis, definition, data.search, trialId, e.step, metricValue(e, data.search.metric), id);
          },
        },
      );
    } finally {
      clearInterval(poll);
      control.stop.removeEventListener('abort', onStop);
      active.delete(trialId);
      void heartbeat();
    }

    if (outcome.status === 'done') {
      const result: TrialResult = { trial: trialId, sweep: data.sweep, worker: id, summary: readJson(join(dir, SUMMARY_FILE)), metrics: readMetrics(dir) };
      await redis.hincrby(keys.completions, trialId, 1);
      await redis.hsetnx(keys.results, trialId, JSON.stringify(result));
      await redis.hdel(keys.failures, trialId);
      log(`graphc worker: trial ${trialId} done`);
      return 'done';
    }
    if (outcome.status === 'interrupted' && cancel.signal.aborted) {
      throw new UnrecoverableError(reasonOf('GC776', { trial: trialId, sweep: data.sweep }));
    }
    if (outcome.status === 'interrupted') {
      // Stopped by this worker's signal, with a checkpoint: back to the queue, for any worker to resume.
      await job.moveToWait(token);
      log(`graphc worker: trial ${trialId} stopped with a checkpoint and handed back to the queue`);
      throw new WaitingError();
    }
    if (outcome.status === 'stopped' && data.search?.pruner) {
      await recordPrunedTrial(outcome.step);
      return 'pruned';
    }
    if (outcome.status === 'stopped') throw new UnrecoverableError(`trial ${trialId} was stopped at step ${outcome.step} without a pruner`);
    recordFailure(dir, outcome.reason);
    await redis.hset(keys.failures, trialId, outcome.reason);
    log(`graphc worker: trial ${trialId} failed: ${outcome.reason}`);
    throw new UnrecoverableError(outcome.reason);
  };

  const lockDuration = settings.lockDuration ?? DEFAULT_LOCK_DURATION_MS;
  const worker = new Worker<TrialJob>(QUEUE_NAME, processor, {
    connection: bullConnection(workerOptions(target)),
    prefix: PREFIX,
    concurrency: settings.concurrency,
    lockDuration,
    stalledInterval: Math.max(1_000, Math.round(lockDuration / 2)),
    maxStalledCount: 5,
    drainDelay: 2,
  });
  worker.on('error', (error) => log(`graphc worker: ${error.message.split(settings.queue).join(target.display)}`));
  await worker.waitUntilReady();
  log(`graphc worker ${id}: waiting for trials on ${target.display} (concurrency ${settings.concurrency}, store ${store})`);

  await new Promise<void>((done) => {
    if (control.stop.aborted) done();
    else control.stop.addEventListener('abort', () => done(), { once: true });
  });
  log('graphc worker: stopping: running trials finish their step, checkpoint and go back to the queue');
  await worker.close();
  clearInterval(beat);
  await redis.del(keys.worker(id)).catch(() => undefined);
  await redis.quit().catch(() => undefined);
}

function safeMetrics(dir: string): Evaluation[] {
  try {
    return readMetrics(dir);
  } catch {
    return [];
  }
}

/** The sweep's spec.yaml in the store (another file, named by its hash, if a sweep of that name ran another text). */
function specFile(sweepDir: string, text: string): string {
  const main = join(sweepDir, SPEC_FILE);
  if (!existsSync(main)) writeFileAtomic(main, text);
  if (readFileSync(main, 'utf8') === text) return main;
  const other = join(sweepDir, `spec-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.yaml`);
  if (!existsSync(other)) writeFileAtomic(other, text);
  return other;
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
