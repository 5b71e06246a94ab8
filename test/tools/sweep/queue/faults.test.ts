/**
 * Faults of a queued sweep with real `graphc worker` processes on a real
 * Redis: a worker killed -9 (and another started) in the middle of 40 tiny
 * trials loses none and completes none twice; a worker's second SIGINT exits
 * at once without failing its trial; and the commands that need no queue
 * (`graphc run`, a local `graphc sweep`) never load bullmq or ioredis.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath } from '../../../../src/runtime/checkpoint.js';
import { SUMMARY_FILE } from '../../../../src/runtime/run_folder.js';
import { trialFolder } from '../../../../src/tools/sweep/folder.js';
import { connect, keys, parseQueueUrl } from '../../../../src/tools/sweep/queue/connection.js';
import { cancelSweep, runQueued, sweepStatus } from '../../../../src/tools/sweep/queue/index.js';
import type { TrialResult } from '../../../../src/tools/sweep/queue/jobs.js';
import { openSession, statusOf } from '../../../../src/tools/sweep/queue/status.js';
import { submit } from '../../../../src/tools/sweep/queue/submit.js';
import { definition, exited, processesWith, startWorker, stopWorker, waitFor, type WorkerProcess } from '../../../helpers/queue.js';
import { redisServer, startRedis, type RedisServer } from '../../../helpers/redis.js';

/** Trials compute on wasm: no WebGPU adapter probed at each trial's start. */
const WORKER_ARGS = ['--backend', 'wasm'];

/** The trials a worker has taken and not finished, from its output. */
function inFlight(w: WorkerProcess, sweep: string): string[] {
  const taken = [...w.output.matchAll(new RegExp(`trial (t[0-9a-f]+) of sweep ${sweep}:`, 'g'))].map((m) => m[1]!);
  return [...new Set(taken)].filter((id) => !w.output.includes(`trial ${id} done`));
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

const redis = redisServer();
describe.skipIf(!redis.available)(`faults of a queued sweep${redis.available ? '' : ` (skipped: ${redis.reason})`}`, () => {
  let server: RedisServer;
  let tmp: string;
  beforeAll(async () => {
    server = await startRedis();
    tmp = mkdtempSync(join(tmpdir(), 'graphc-faults-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('a trial whose job completes while the status is read is done, not cancelled', async () => {
    // A worker records the result, then BullMQ completes the job and removes it: a status that read the
    // results before and looks for the job after found neither, and a follower ended on a "cancelled" trial.
    // A schedule of its own: a trial's id does not depend on the sweep's name, and the fake result must not stand for another test's trial.
    const def = definition('race', [], { steps: 3, evalEvery: 3, evalBatches: 1 });
    const [trial] = def.trials;
    const session = await openSession(server.url);
    try {
      await submit(session, def);
      const getJob = session.queue.getJob.bind(session.queue);
      session.queue.getJob = async (id: string) => {
        const result: TrialResult = { trial: id, sweep: 'race', worker: 'w', summary: { steps: 10 }, metrics: [] };
        await session.redis.hset(keys.results, id, JSON.stringify(result));
        await (await getJob(id))?.remove();
        return getJob(id);
      };
      const status = await statusOf(session, def);
      expect(status.trials[0]).toMatchObject({ id: trial!.id, state: 'done' });
      expect(status.counts).toMatchObject({ done: 1, cancelled: 0 });
    } finally {
      await session.redis.hdel(keys.results, trial!.id);
      await session.close();
    }
  });

  it('40 tiny trials over 3 workers with one killed and restarted: none lost, none completed twice', async () => {
    const started = Date.now();
    const store = join(tmp, 'store');
    const def = definition('faults', [], { steps: 10, evalEvery: 5, evalBatches: 1 }, 40);
    expect(def.trials).toHaveLength(40);
    expect(new Set(def.trials.map((t) => t.id)).size).toBe(40);
    const sweepDir = join(store, 'faults');
    const workers = [0, 1, 2].map(() => startWorker(server.url, store, { args: WORKER_ARGS }));
    const [victim] = workers;
    const client = await connect(parseQueueUrl(server.url));
    try {
      const following = runQueued(def, join(tmp, 'local', 'faults'), { queue: server.url, onStatus: () => undefined });
      // Once some trials are done, kill -9 a worker in the middle of a trial: best when the trial has its checkpoint (step 5 of 10).
      let killed: string | undefined;
      let withCheckpoint = false;
      await waitFor(
        'a trial in flight on the worker to kill',
        async () => {
          const done = await client.hlen(keys.results);
          const [trial] = inFlight(victim!, 'faults');
          if (done < 5 || trial === undefined) return false;
          const dir = trialFolder(sweepDir, trial);
          // Not finished (else another worker would find its result and merely skip it).
          if (existsSync(join(dir, SUMMARY_FILE))) return false;
          withCheckpoint = existsSync(checkpointPath(dir));
          if (!withCheckpoint && done < 20) return false;
          victim!.child.kill('SIGKILL');
          killed = trial;
          return true;
        },
        120_000,
        50,
      );
      const doneAtKill = await client.hlen(keys.results);
      await waitFor('the orphaned trial to exit', () => processesWith(trialFolder(sweepDir, killed!)).length === 0, 10_000);
      workers.push(startWorker(server.url, store, { args: WORKER_ARGS }));

      const outcome = await following;
      expect(outcome).toEqual({ done: 40, failed: 0, cancelled: 0, interrupted: false });
      expect(await client.hlen(keys.results)).toBe(40);
      const completions = await client.hgetall(keys.completions);
      expect(Object.keys(completions).sort()).toEqual(def.trials.map((t) => t.id).sort());
      expect(Object.entries(completions).filter(([, n]) => n !== '1')).toEqual([]);
      for (const t of def.trials) {
        const summary = JSON.parse(readFileSync(join(trialFolder(sweepDir, t.id), SUMMARY_FILE), 'utf8')) as { steps: number; seed: number };
        expect(summary).toMatchObject({ steps: 10, seed: t.seed });
      }
      // The killed worker's trial was finished by another worker (from its checkpoint when it had one).
      expect(victim!.output).not.toContain(`trial ${killed!} done`);
      const others = workers.slice(1).map((w) => w.output).join('');
      expect(others).toContain(`trial ${killed!} done`);
      if (withCheckpoint) expect(others).toContain(`trial ${killed!} of sweep faults: resuming from its checkpoint`);
      console.log(`40 trials, 3 workers, one killed -9 at ${doneAtKill} done (${withCheckpoint ? 'its trial checkpointed' : 'no checkpoint yet'}) and restarted: ${seconds(started)} s`);
    } finally {
      await client.quit();
      victim!.child.kill('SIGKILL');
      const codes = await Promise.all(workers.slice(1).map(stopWorker));
      expect(codes).toEqual([143, 143, 143]);
    }
  });

  it("a worker's second SIGINT exits at once; its trial is not failed and another worker resumes it", async () => {
    const started = Date.now();
    const store = join(tmp, 'store-sigint');
    const def = definition('sigint', [], { steps: 2000, evalEvery: 20, evalBatches: 1 });
    const [trial] = def.trials;
    const dir = trialFolder(join(store, 'sigint'), trial!.id);
    const first = startWorker(server.url, store, { args: WORKER_ARGS });
    let second: WorkerProcess | undefined;
    const following = new AbortController();
    const outcome = runQueued(def, join(tmp, 'local-sigint', 'sigint'), { queue: server.url, signal: following.signal, onStatus: () => undefined });
    try {
      // (GC777 until runQueued has submitted the sweep.)
      await waitFor('progress', async () => (await sweepStatus('sigint', server.url).catch(() => undefined))?.trials[0]!.step !== undefined, 60_000);
      await waitFor('its checkpoint', () => existsSync(checkpointPath(dir)), 10_000);
      const exit = new Promise<{ code: number | null; at: number }>((r) => first.child.once('exit', (code) => r({ code, at: Date.now() })));
      first.child.kill('SIGINT');
      await waitFor('the first SIGINT to be taken', () => first.output.includes('SIGINT: the running trials'), 5_000, 10);
      const again = Date.now();
      first.child.kill('SIGINT');
      const { code, at } = await exit;
      const ms = at - again;
      expect(first.output).toContain('SIGINT again: stopping at once');
      expect(code).toBe(130);
      expect(ms).toBeLessThan(2_000);
      await waitFor('the trial to exit', () => processesWith(dir).length === 0, 5_000);

      // Not failed: no failure recorded; the job is waiting, or active until its lock expires and a worker takes it as stalled.
      const status = await sweepStatus('sigint', server.url);
      const state = status.trials[0]!.state;
      expect(['waiting', 'active']).toContain(state);
      expect(existsSync(join(dir, 'failure.json'))).toBe(false);
      const client = await connect(parseQueueUrl(server.url));
      expect(await client.hget(keys.failures, trial!.id)).toBeNull();
      await client.quit();

      second = startWorker(server.url, store, { args: WORKER_ARGS });
      await waitFor('another worker to resume the trial', () => second!.output.includes(`trial ${trial!.id} of sweep sigint: resuming from its checkpoint`), 30_000);
      await waitFor('the resumed trial to run', async () => (await sweepStatus('sigint', server.url)).trials[0]!.state === 'active', 10_000);
      console.log(`second SIGINT: the worker exited ${ms} ms after it (state then: ${state}); resumed by another worker: ${seconds(started)} s`);
      expect(await cancelSweep('sigint', server.url)).toEqual({ removed: 0, stopping: 1, done: 0 });
    } finally {
      following.abort();
      await outcome.catch(() => undefined);
      if (!exited(first)) first.child.kill('SIGKILL');
      if (second) await stopWorker(second);
    }
  });
});

describe('the commands that need no queue', () => {
  const FORBID = `--import=${pathToFileURL(resolve('test/fixtures/forbid-modules.mjs')).href}`;
  const TINY = ['graphs/bigru.yaml', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--steps', '2', '--eval-every', '2', '--eval-batches', '1', '--backend', 'wasm'];
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'graphc-forbid-'));
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** graphc with bullmq and ioredis unloadable, in it and in its child processes (NODE_OPTIONS). */
  function graphcForbidding(...args: string[]): { status: number | null; output: string } {
    const r = spawnSync(process.execPath, ['bin/graphc.js', ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} ${FORBID}`.trim() },
    });
    return { status: r.status, output: r.stdout + r.stderr };
  }

  it('graphc run and a local graphc sweep never load bullmq or ioredis (graphc worker does)', () => {
    const started = Date.now();
    // The fixture works: the worker needs ioredis, and cannot load it.
    const worker = graphcForbidding('worker', '--queue', 'redis://127.0.0.1:1');
    expect(worker.status).not.toBe(0);
    expect(worker.output).toMatch(/forbid-modules\.mjs: '(ioredis|bullmq)' must not be loaded/);

    const run = graphcForbidding('run', ...TINY, '--no-out', '--workers', '1');
    expect(run.output).not.toContain('forbid-modules');
    expect(run.status, run.output).toBe(0);

    const sweep = graphcForbidding('sweep', ...TINY, '--dir', tmp, '--name', 'forbid', '--parallel', '1');
    expect(sweep.output).not.toContain('forbid-modules');
    expect(sweep.status, sweep.output).toBe(0);
    const sweepJson = JSON.parse(readFileSync(join(tmp, 'forbid', 'sweep.json'), 'utf8')) as { trials: { id: string }[] };
    expect(sweepJson.trials).toHaveLength(1);
    expect(existsSync(join(trialFolder(join(tmp, 'forbid'), sweepJson.trials[0]!.id), SUMMARY_FILE))).toBe(true);
    console.log(`graphc run and graphc sweep without bullmq and ioredis: ${seconds(started)} s`);
  });
});
