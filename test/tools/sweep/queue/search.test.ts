/**
 * A searching sweep (--sampler tpe --pruner asha) on a real Redis with real
 * `graphc worker` processes: one trial in flight at a time (--parallel 1, so
 * that the search follows from the seed alone) through two workers, one of
 * them killed -9 in the middle of a trial once its checkpoint is written,
 * gives the same table as the same search run locally, with no trial lost or
 * run twice and every verdict the rule's; and of many concurrent attempts to
 * promote a pruned trial exactly one wins. Tiny trials: the Bi-GRU with
 * hidden_size 4, 30 steps, 3 draws.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath } from '../../../../src/runtime/checkpoint.js';
import { trialFolder } from '../../../../src/tools/sweep/folder.js';
import { rungs } from '../../../../src/tools/sweep/pruners/asha.js';
import { connect, keys, parseQueueUrl } from '../../../../src/tools/sweep/queue/connection.js';
import { claimPromotion, decisionsOnQueue, drawnOnQueue, searchKeys } from '../../../../src/tools/sweep/queue/search.js';
import { exited, processesWith, startWorker, stopWorker, waitFor, type WorkerProcess } from '../../../helpers/queue.js';
import { redisServer, startRedis, type RedisServer } from '../../../helpers/redis.js';

const GRAPHC = resolve('bin/graphc.js');
/** Trials compute on wasm: no WebGPU adapter probed at each trial's start, and the same numbers here and on the workers. */
const BACKEND = ['--backend', 'wasm'];
/** Rungs at 10 and 20 steps, the full length 30; 2 random draws, then one by TPE. */
const SEARCH = [
  'graphs/bigru.yaml', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--sampler', 'tpe', '--startup', '2', '--samples', '3',
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

  it('tpe + asha through two workers, one killed -9 in the middle of a trial: the same table as the local search, no trial lost or run twice', async () => {
    const started = Date.now();
    const local = await graphc(['sweep', ...SEARCH, ...BACKEND, '--parallel', '1', '--dir', join(tmp, 'local'), '--name', 'search']);
    expect(local.status, local.stderr).toBe(0);
    const localSeconds = (Date.now() - started) / 1000;
    const store = join(tmp, 'store');
    const sweepDir = join(store, 'search');
    const workers: WorkerProcess[] = [0, 1].map(() => startWorker(server.url, store, { args: BACKEND }));
    const client = await connect(parseQueueUrl(server.url));
    let victim: WorkerProcess | undefined;
    try {
      await waitFor('both workers to listen', () => workers.every((w) => w.output.includes('waiting for trials')), 60_000);
      const queued = graphc(['sweep', ...SEARCH, '--parallel', '1', '--dir', join(tmp, 'queued'), '--name', 'search', '--queue', server.url]);
      // Kill -9 the worker of a trial that has its checkpoint and is not finished: another worker must resume it.
      let killed: string | undefined;
      await waitFor('a trial with a checkpoint in flight', () => {
        for (const w of workers) {
          const taken = [...w.output.matchAll(/trial (t[0-9a-f]+) of sweep search:/g)].map((m) => m[1]!);
          const open = taken.filter((id) => !new RegExp(`trial ${id} (done|pruned)`).test(w.output));
          const trial = open.find((id) => existsSync(checkpointPath(trialFolder(sweepDir, id))) && !existsSync(join(trialFolder(sweepDir, id), 'summary.json')));
          if (trial === undefined) continue;
          w.child.kill('SIGKILL');
          victim = w;
          killed = trial;
          return true;
        }
        return false;
      }, 240_000, 20);
      await waitFor('the orphaned trial to exit', () => processesWith(trialFolder(sweepDir, killed!)).length === 0, 10_000);
      workers.push(startWorker(server.url, store, { args: BACKEND }));
      const result = await queued;
      expect(result.status, result.stderr).toBe(0);

      // The same table: trial, status, params, seed, final and best metric, steps and rung of every trial.
      const localRows = comparable(join(tmp, 'local', 'search'));
      expect(comparable(join(tmp, 'queued', 'search'))).toEqual(localRows);
      const statuses = localRows.slice(1).map((r) => r[1]);
      expect(statuses).toHaveLength(3);
      expect(statuses).toContain('pruned');
      expect(statuses).toContain('done');
      // The killed worker's trial went to another worker, which resumed it from its checkpoint.
      const others = workers.filter((w) => w !== victim).map((w) => w.output).join('');
      expect(others).toContain(`trial ${killed!} of sweep search: resuming from its checkpoint`);
      // None run twice: each done trial completed once; each pruning (trial, step) happened once.
      const drawn = await drawnOnQueue(client, 'search');
      expect(drawn.map((t) => t.id).sort()).toEqual(localRows.slice(1).map((r) => r[0]).sort());
      const completions = await client.hgetall(keys.completions);
      expect(Object.entries(completions).filter(([id, n]) => drawn.some((t) => t.id === id) && n !== '1')).toEqual([]);
      const prunings = workers.map((w) => w.output).join('').match(/trial t[0-9a-f]+ pruned at step \d+/g) ?? [];
      expect(new Set(prunings).size).toBe(prunings.length);
      // Every stop was the rule's, at a rung; a trial still pruned was told to stop where it stands.
      const decisions = await decisionsOnQueue(client, 'search');
      const rungSteps = rungs({ minResource: 10, reduction: 2, maxResource: 30, mode: 'max' });
      for (const [field, d] of decisions) if (d.verdict === 'stop') expect(rungSteps).toContain(Number(field.split('@')[1]));
      for (const [id, step] of Object.entries(await client.hgetall(searchKeys.pruned('search')))) expect(decisions.get(`${id}@${step}`)?.verdict).toBe('stop');
      console.log(`tpe + asha, 3 draws: local ${localSeconds.toFixed(1)} s; on the queue with a worker killed -9 (trial ${killed}): ${((Date.now() - started) / 1000 - localSeconds).toFixed(1)} s`);
    } finally {
      await client.quit();
      if (victim && !exited(victim)) victim.child.kill('SIGKILL');
      await Promise.all(workers.filter((w) => w !== victim).map(stopWorker));
    }
  }, 600_000);

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
