/**
 * Sweeps on a real Redis with real `graphc worker` processes: tiny trials run
 * by two workers match the same trials run directly; a bad trial fails alone
 * with its diagnostic; jobs of another graphc version, too big or not trials
 * are refused; a worker killed -9 mid-trial has its trial finished by another
 * from the checkpoint, with the uninterrupted run's metrics, completed once.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics, type Evaluation } from '../../../../src/runtime/run_folder.js';
import { trialOverrides } from '../../../../src/tools/sweep/definition.js';
import { runTrial } from '../../../../src/tools/sweep/executor.js';
import { trialFolder } from '../../../../src/tools/sweep/folder.js';
import { connect, keys, parseQueueUrl, PREFIX, QUEUE_NAME, bullConnection, cliOptions } from '../../../../src/tools/sweep/queue/connection.js';
import { cancelSweep, runQueued, sweepStatus, formatStatus, queuedExitCode } from '../../../../src/tools/sweep/queue/index.js';
import { BIGRU as SPEC, definition, processesWith, startWorker, stopWorker, waitFor, type WorkerProcess } from '../../../helpers/queue.js';
import { redisServer, startRedis, type RedisServer } from '../../../helpers/redis.js';

const PASSWORD = 'queue-Pa55word';

/** The metrics that must match (not the wall-clock 'elapsed'). */
function curve(evaluations: readonly Evaluation[]): unknown[] {
  return evaluations.map((e) => ({ step: e.step, train: e.train, test: e.test }));
}

const redis = redisServer();
describe.skipIf(!redis.available)(`sweeps on a queue${redis.available ? '' : ` (skipped: ${redis.reason})`}`, () => {
  let server: RedisServer;
  let tmp: string;
  beforeAll(async () => {
    server = await startRedis({ password: PASSWORD });
    tmp = mkdtempSync(join(tmpdir(), 'graphc-queue-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('two workers run a sweep of tiny trials; the metrics equal direct runs; a bad trial fails alone; bad jobs are refused', async () => {
    const started = Date.now();
    const store = join(tmp, 'store');
    const workers = [startWorker(server.url, store), startWorker(server.url, store)];
    try {
      const def = definition('tiny', [{ param: 'hidden_size', values: [4, 0, 6] }], { steps: 20, evalEvery: 10, evalBatches: 1 });
      expect(def.trials).toHaveLength(3);
      // Jobs no worker may run: another graphc's, too big, not a trial.
      const { Queue } = await import('bullmq');
      const queue = new Queue(QUEUE_NAME, { connection: bullConnection(cliOptions(parseQueueUrl(server.url))), prefix: PREFIX });
      const good = { graphcVersion: def.graphcVersion, sweep: 'tiny', specText: SPEC, trial: def.trials[0], overrides: [], schedule: {} };
      await queue.add('trial', { ...good, graphcVersion: '0.0.0-other', trial: { ...def.trials[0]!, id: 'tabc0001' } }, { jobId: 'tabc0001' });
      await queue.add('trial', { ...good, specText: SPEC + '#'.repeat(1_100_000), trial: { ...def.trials[0]!, id: 'tabc0002' } }, { jobId: 'tabc0002' });
      await queue.add('trial', { hello: 'world' }, { jobId: 'tabc0003' });

      const local = join(tmp, 'local', 'tiny');
      const outcome = await runQueued(def, local, { queue: server.url, onStatus: () => undefined });
      expect(outcome).toEqual({ done: 2, failed: 1, cancelled: 0, interrupted: false });
      expect(queuedExitCode(outcome)).toBe(1);

      const reasons = Object.fromEntries(await Promise.all(['tabc0001', 'tabc0002', 'tabc0003'].map(async (id) => [id, (await queue.getJob(id))?.failedReason ?? ''])));
      expect(reasons['tabc0001']).toContain('GC773');
      expect(reasons['tabc0002']).toContain('GC774');
      expect(reasons['tabc0003']).toContain('GC775');
      await queue.close();

      const status = await sweepStatus('tiny', server.url);
      const broken = status.trials.find((t) => t.params['hidden_size'] === 0)!;
      expect(broken.state).toBe('failed');
      expect(broken.reason).toContain('GC205');
      expect(formatStatus(status)).toContain('2 done');
      expect(JSON.stringify(status)).not.toContain(PASSWORD);
      // The local sweep folder: sweep.json, and each trial's results (from Redis: the store is elsewhere).
      expect(readFileSync(join(local, 'sweep.json'), 'utf8')).not.toContain(PASSWORD);
      expect(readFileSync(join(trialFolder(local, broken.id), 'failure.json'), 'utf8')).toContain('GC205');

      // The same trials run directly (no queue) give the same curves.
      const done = def.trials.filter((t) => t.id !== broken.id);
      const direct = await Promise.all(
        done.map(async (t) => {
          const out = join(tmp, 'direct', t.id);
          const r = await runTrial({ spec: 'graphs/bigru.yaml', overrides: trialOverrides(def, t), seed: t.seed, schedule: def.options.schedule, out, workers: 1 });
          expect(r.status).toBe('done');
          return readMetrics(out);
        }),
      );
      for (const [i, t] of done.entries()) {
        expect(curve(readMetrics(trialFolder(local, t.id)))).toEqual(curve(direct[i]!));
        expect(curve(readMetrics(trialFolder(join(store, 'tiny'), t.id)))).toEqual(curve(direct[i]!));
        expect(existsSync(join(trialFolder(local, t.id), 'summary.json'))).toBe(true);
      }
      // Submitted again: nothing is enqueued for the done trials; none completed twice.
      const again = await runQueued(def, local, { queue: server.url, onStatus: () => undefined });
      expect(again.done).toBe(2);
      const client = await connect(parseQueueUrl(server.url));
      const completions = await client.hgetall(keys.completions);
      expect(Object.values(completions).every((n) => n === '1')).toBe(true);
      await client.quit();
      expect(workers.map((w) => w.output).join('')).not.toContain(PASSWORD);
    } finally {
      const codes = await Promise.all(workers.map(stopWorker));
      expect(codes).toEqual([143, 143]);
    }
    console.log(`two workers, 3 trials: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('kill -9 of a worker mid-trial: another worker resumes it from the checkpoint, with the uninterrupted metrics, completed once', async () => {
    const started = Date.now();
    const store = join(tmp, 'store-kill');
    const def = definition('killed', [], { steps: 240, evalEvery: 40, evalBatches: 1 });
    const [trial] = def.trials;
    const dir = trialFolder(join(store, 'killed'), trial!.id);
    const first = startWorker(server.url, store);
    let second: WorkerProcess | undefined;
    try {
      const following = runQueued(def, join(tmp, 'local-kill', 'killed'), { queue: server.url, onStatus: () => undefined });
      // After the first evaluation's checkpoint, kill the worker (not its trial: the trial must die with it).
      await waitFor('the first checkpoint', () => existsSync(join(dir, 'checkpoint.gck')), 120_000);
      const evaluationsAtKill = readMetrics(dir).length;
      first.child.kill('SIGKILL');
      await waitFor('the orphaned trial to exit', () => processesWith(dir).length === 0, 10_000);
      expect(evaluationsAtKill).toBeLessThan(6);
      second = startWorker(server.url, store);
      const outcome = await following;
      expect(outcome).toEqual({ done: 1, failed: 0, cancelled: 0, interrupted: false });
      expect(second.output).toContain('resuming from its checkpoint');

      const out = join(tmp, 'direct-kill');
      const r = await runTrial({ spec: 'graphs/bigru.yaml', overrides: trialOverrides(def, trial!), seed: trial!.seed, schedule: def.options.schedule, out, workers: 1 });
      expect(r.status).toBe('done');
      expect(curve(readMetrics(dir))).toEqual(curve(readMetrics(out)));
      const client = await connect(parseQueueUrl(server.url));
      expect(await client.hget(keys.completions, trial!.id)).toBe('1');
      await client.quit();
    } finally {
      first.child.kill('SIGKILL');
      if (second) await stopWorker(second);
    }
    console.log(`kill -9 and resume: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('SIGTERM hands the running trial back with a checkpoint; cancel removes a waiting trial and stops a running one (GC776)', async () => {
    const started = Date.now();
    const store = join(tmp, 'store-stop');
    const def = definition('stopped', [], { steps: 400, evalEvery: 40, evalBatches: 1 });
    const [trial] = def.trials;
    const dir = trialFolder(join(store, 'stopped'), trial!.id);
    const first = startWorker(server.url, store);
    let second: WorkerProcess | undefined;
    try {
      const following = runQueued(def, join(tmp, 'local-stop', 'stopped'), { queue: server.url, onStatus: () => undefined });
      await waitFor('the first checkpoint', () => existsSync(join(dir, 'checkpoint.gck')), 120_000);
      expect(await stopWorker(first)).toBe(143);
      expect(first.output).toContain('handed back to the queue');
      let status = await sweepStatus('stopped', server.url);
      expect(status.trials[0]!.state).toBe('waiting');
      // Cancelled while waiting: it leaves the queue, and the follower ends.
      expect(await cancelSweep('stopped', server.url)).toEqual({ removed: 1, stopping: 0, done: 0 });
      const cancelled = await following;
      expect(cancelled).toEqual({ done: 0, failed: 0, cancelled: 1, interrupted: false });
      expect(queuedExitCode(cancelled)).toBe(3);

      // Submitted again: it resumes from its checkpoint; cancelled while running, its worker stops it.
      second = startWorker(server.url, store);
      const again = runQueued(def, join(tmp, 'local-stop', 'stopped'), { queue: server.url, onStatus: () => undefined });
      await waitFor('the trial to run again', async () => (await sweepStatus('stopped', server.url)).trials[0]!.state === 'active', 60_000);
      expect(await cancelSweep('stopped', server.url)).toEqual({ removed: 0, stopping: 1, done: 0 });
      expect(await again).toEqual({ done: 0, failed: 0, cancelled: 1, interrupted: false });
      status = await sweepStatus('stopped', server.url);
      expect(status.trials[0]!.state).toBe('cancelled');
      await waitFor('the worker to fail the job', () => second!.output.includes('GC776') || second!.output.includes('resuming'), 20_000);
      expect(second.output).toContain('resuming from its checkpoint');
      const { Queue } = await import('bullmq');
      const queue = new Queue(QUEUE_NAME, { connection: bullConnection(cliOptions(parseQueueUrl(server.url))), prefix: PREFIX });
      await waitFor('the job to fail', async () => (await queue.getJob(trial!.id))?.failedReason !== undefined, 20_000);
      expect((await queue.getJob(trial!.id))?.failedReason).toContain('GC776');
      await queue.close();
    } finally {
      first.child.kill('SIGKILL');
      if (second) await stopWorker(second);
    }
    console.log(`SIGTERM, hand back and cancel: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
