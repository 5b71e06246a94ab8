/**
 * A searching sweep (--sampler tpe --pruner asha) on a real Redis with real
 * `graphc worker` processes: one trial in flight at a time through two
 * workers gives the same table as the same search run locally; two at a time
 * with a worker killed -9 in the middle of a trial (once its checkpoint is
 * written) completes with no trial lost or run twice and every verdict the
 * rule's; and of many concurrent attempts to promote a pruned trial exactly
 * one wins. Tiny trials: the Bi-GRU with hidden_size 4, 30 steps.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath } from '../../../../src/runtime/checkpoint.js';
import { trialFolder } from '../../../../src/tools/sweep/folder.js';
import { prepareSweep } from '../../../../src/tools/sweep/prepare.js';
import { rungs } from '../../../../src/tools/sweep/pruners/asha.js';
import { connect, keys, parseQueueUrl } from '../../../../src/tools/sweep/queue/connection.js';
import { runQueued } from '../../../../src/tools/sweep/queue/index.js';
import { claimPromotion, decisionsOnQueue, drawnOnQueue, searchKeys } from '../../../../src/tools/sweep/queue/search.js';
import { exited, processesWith, startWorker, stopWorker, waitFor, type WorkerProcess } from '../../../helpers/queue.js';
import { redisServer, startRedis, type RedisServer } from '../../../helpers/redis.js';

const GRAPHC = resolve('bin/graphc.js');
/** Trials compute on wasm: no WebGPU adapter probed at each trial's start, and the same numbers here and on the workers. */
const BACKEND = ['--backend', 'wasm'];
/** Rungs at 10 and 20 steps, the full length 30; 2 random draws, then TPE. */
const SEARCH = [
  'graphs/bigru.yaml', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--sampler', 'tpe', '--startup', '2', '--samples', '4',
  '--random', 'lr=loguniform:1e-3:3e-1', '--pruner', 'asha', '--min-resource', '10', '--reduction', '2',
  '--steps', '30', '--eval-every', '10', '--eval-batches', '1', '--seed', '5',
];

function graphc(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [GRAPHC, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** results.csv's rows without the columns that depend on the machine (wall time, speed, backend, host). */
function comparable(dir: string): string[][] {
  const rows = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const wall = rows[0]!.indexOf('wall_seconds');
  return rows.map((r) => r.slice(0, wall));
}

const redis = redisServer();
describe.skipIf(!redis.available)(`a search on the queue${redis.available ? '' : ` (skipped: ${redis.reason})`}`, () => {
  let server: RedisServer;
  let tmp: string;
  beforeAll(async () => {
    server = await startRedis();
    tmp = mkdtempSync(join(tmpdir(), 'graphc-qsearch-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('tpe + asha, one trial in flight through two workers: the same table as the local search', async () => {
    const local = await graphc(['sweep', ...SEARCH, ...BACKEND, '--parallel', '1', '--dir', join(tmp, 'local'), '--name', 'search']);
    expect(local.status, local.stderr).toBe(0);
    const workers = [0, 1].map(() => startWorker(server.url, join(tmp, 'store'), { args: BACKEND }));
    try {
      await waitFor('both workers to listen', () => workers.every((w) => w.output.includes('waiting for trials')), 60_000);
      const queued = await graphc(['sweep', ...SEARCH, '--parallel', '1', '--dir', join(tmp, 'queued'), '--name', 'search', '--queue', server.url]);
      expect(queued.status, queued.stderr).toBe(0);
      const localRows = comparable(join(tmp, 'local', 'search'));
      expect(comparable(join(tmp, 'queued', 'search'))).toEqual(localRows);
      const statuses = localRows.slice(1).map((r) => r[1]);
      // The search did search: 4 draws, some pruned at a rung.
      expect(statuses).toHaveLength(4);
      expect(statuses).toContain('pruned');
      // Both workers took trials.
      for (const w of workers) expect(w.output).toMatch(/trial t[0-9a-f]+ of sweep search: (starting|resuming)/);
    } finally {
      expect(await Promise.all(workers.map(stopWorker))).toEqual([143, 143]);
    }
  });

  it('two trials in flight, a worker killed -9 once its trial has a checkpoint: none lost, none run twice, every verdict the rule\'s', async () => {
    const store = join(tmp, 'store-kill');
    const { definition } = prepareSweep(resolve(SEARCH[0]!), {
      grid: [], random: ['lr=loguniform:1e-3:3e-1'], repeat: 1, seed: 9, set: ['hidden_size=4', 'layer_num=1'],
      schedule: { steps: 30, evalEvery: 10, evalBatches: 1 }, name: 'kill', sampler: 'tpe', startup: 2, samples: 4,
      pruner: 'asha', minResource: 10, reduction: 2,
    }, join(tmp, 'kill-local'));
    const sweepDir = join(store, 'kill');
    const workers: WorkerProcess[] = [0, 1].map(() => startWorker(server.url, store, { args: BACKEND }));
    const [victim] = workers;
    const client = await connect(parseQueueUrl(server.url));
    try {
      const following = runQueued(definition, join(tmp, 'kill-local', 'kill'), { queue: server.url, parallel: 2, onStatus: () => undefined });
      let killed: string | undefined;
      await waitFor('a trial with a checkpoint on the worker to kill', () => {
        const taken = [...victim!.output.matchAll(/trial (t[0-9a-f]+) of sweep kill:/g)].map((m) => m[1]!);
        const open = taken.filter((id) => !new RegExp(`trial ${id} (done|pruned)`).test(victim!.output));
        const trial = open.find((id) => existsSync(checkpointPath(trialFolder(sweepDir, id))) && !existsSync(join(trialFolder(sweepDir, id), 'summary.json')));
        if (trial === undefined) return false;
        victim!.child.kill('SIGKILL');
        killed = trial;
        return true;
      }, 120_000, 20);
      await waitFor('the orphaned trial to exit', () => processesWith(trialFolder(sweepDir, killed!)).length === 0, 10_000);
      workers.push(startWorker(server.url, store, { args: BACKEND }));

      const outcome = await following;
      expect(outcome.interrupted).toBe(false);
      expect(outcome.failed).toBe(0);
      const drawn = await drawnOnQueue(client, 'kill');
      expect(drawn).toHaveLength(4);
      expect(new Set(drawn.map((t) => t.id)).size).toBe(4);
      // Every trial ended done or pruned; each done one completed once.
      expect((outcome.done ?? 0) + (outcome.pruned ?? 0)).toBe(4);
      const completions = await client.hgetall(keys.completions);
      for (const t of drawn) expect(['1', undefined]).toContain(completions[t.id]);
      const pruned = await client.hgetall(searchKeys.pruned('kill'));
      for (const t of drawn) expect(completions[t.id] === '1' || pruned[t.id] !== undefined, t.id).toBe(true);
      // The killed worker's trial was resumed from its checkpoint by another, and finished there.
      const others = workers.slice(1).map((w) => w.output).join('');
      expect(others).toContain(`trial ${killed!} of sweep kill: resuming from its checkpoint`);
      expect(others).toMatch(new RegExp(`trial ${killed!} (done|pruned at step)`));
      // No trial stopped twice at the same step: each pruning is one job's end.
      const prunings = workers.map((w) => w.output).join('').match(/trial t[0-9a-f]+ pruned at step \d+/g) ?? [];
      expect(new Set(prunings).size).toBe(prunings.length);
      // Every verdict the rule's: a stop only at a rung, a trial pruned at step s was told to stop there.
      const decisions = await decisionsOnQueue(client, 'kill');
      const rungSteps = rungs({ minResource: 10, reduction: 2, maxResource: 30, mode: 'max' });
      for (const [field, d] of decisions) {
        const step = Number(field.split('@')[1]);
        if (d.verdict === 'stop') expect(rungSteps).toContain(step);
        // ASHA stops a trial unless it is in the top ⌊n/2⌋: the first at a rung always stops.
        if (d.trials === 1) expect(d.verdict).toBe('stop');
      }
      for (const [id, step] of Object.entries(pruned)) expect(decisions.get(`${id}@${step}`)?.verdict).toBe('stop');
    } finally {
      await client.quit();
      if (!exited(victim!)) victim!.child.kill('SIGKILL');
      await Promise.all(workers.slice(1).map(stopWorker));
    }
  });

  it('of concurrent attempts to promote a pruned trial, exactly one wins', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(parseQueueUrl(server.url))));
    try {
      await clients[0]!.hset(searchKeys.pruned('race'), 'tabc', '20');
      const won = await Promise.all(clients.map((c, i) => claimPromotion(c, 'race', 'tabc', 20, `c${i}`)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await clients[0]!.hexists(searchKeys.pruned('race'), 'tabc')).toBe(0);
      expect(await clients[0]!.hget(searchKeys.promoted('race'), 'tabc@20')).toBe(`c${won.indexOf(true)}`);
      // A claim on a step the trial is not stopped at (a stale view) loses too.
      await clients[0]!.hset(searchKeys.pruned('race'), 'tabc', '10');
      expect(await claimPromotion(clients[1]!, 'race', 'tabc', 20, 'late')).toBe(false);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });
});
