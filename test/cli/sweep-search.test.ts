/**
 * A searching sweep end to end on this machine: TPE with ASHA pruning under a
 * step budget, on the Iris MLP (tiny: 40 steps a trial, 120 in all). The spec's data paths
 * are relative to graphs/ (the sweep runs a copy of the spec elsewhere), the
 * trials leave .graphc/last-module.json alone, the table and results.csv show
 * each trial's rung and status with pruned trials among them, best.csv the
 * best-so-far curve; the same command again does no new work. Bad search
 * options are GC763; a search on --queue is accepted (test/tools/sweep/queue/search.test.ts runs one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const GRAPHC = resolve('bin/graphc.js');
const IRIS = resolve('graphs/iris.yaml');

function graphc(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [GRAPHC, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('graphc sweep --sampler tpe --pruner asha --budget', () => {
  // Run from elsewhere: the spec's relative data paths must still mean graphs/../data/iris/.
  // One trial at a time: the draws and the pruner's decisions then follow from the seed alone, not from timing.
  const cwd = mkdtempSync(join(tmpdir(), 'graphc-search-'));
  const args = [
    'sweep', IRIS, '--sampler', 'tpe', '--startup', '2', '--random', 'lr=loguniform:1e-4:1e-1', '--random', 'hidden=int:2:16',
    '--pruner', 'asha', '--min-resource', '10', '--reduction', '2', '--steps', '40', '--eval-every', '10', '--budget', '120',
    '--name', 'search', '--dir', 'sweeps', '--parallel', '1', '--workers', '1',
  ];

  it('searches until the budget is spent, pruning at the rungs, and reports rung, status and the best so far', () => {
    const r = graphc(args, cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/GC601/);
    expect(r.stderr).toMatch(/the budget \(120 steps\) is spent/);
    const table = r.stdout.trim().split('\n');
    expect(table[0]).toMatch(/^#\s+trial\s+lr\s+hidden\s+final test\.acc\s+best test\.acc\s+steps\s+rung\s+wall s\s+steps\/s\s+backend\s+host\s+status$/);
    const rows = table.slice(2).filter((l) => /^\d+\s+t[0-9a-f]{20}/.test(l));
    const statuses = rows.map((l) => l.split(/\s+/).at(-1));
    expect(statuses).toContain('pruned');
    expect(statuses).toContain('done');
    // A pruned trial stopped at a rung: 10 or 20 steps (rungs at 10 and 20, the full length 40).
    for (const row of rows.filter((l) => l.endsWith('pruned'))) expect(row).toMatch(/\s(10\s+0|20\s+1)\s/);
    expect(r.stdout).toMatch(/best test\.acc \d\.\d{4} \(trial t[0-9a-f]{20}, step \d+\), first reached after \d+ steps/);

    const dir = join(cwd, 'sweeps', 'search');
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(csv[0]!.slice(0, 10)).toEqual(['trial', 'status', 'lr', 'hidden', 'seed', 'final_test_acc', 'best_test_acc', 'steps', 'rung', 'wall_seconds']);
    expect(csv.slice(1).map((row) => row[1])).toEqual(expect.arrayContaining(['pruned', 'done']));
    // Every pruned trial kept its checkpoint (a promotion resumes it).
    for (const row of csv.slice(1).filter((row) => row[1] === 'pruned')) expect(existsSync(join(dir, 'trials', row[0]!, 'checkpoint.gck'))).toBe(true);
    const best = readFileSync(join(dir, 'best.csv'), 'utf8').trim().split('\n');
    expect(best[0]).toBe('steps_spent,best_test_acc,trial,step');
    const curve = best.slice(1).map((l) => l.split(',').map(Number));
    expect(curve.length).toBeGreaterThan(0);
    // Best so far: it only rises, and the steps spent only grow, up to the budget and one round of evaluations past it.
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]![1]).toBeGreaterThan(curve[i - 1]![1]!);
      expect(curve[i]![0]).toBeGreaterThanOrEqual(curve[i - 1]![0]!);
    }
    // Steps spent in all: within the budget plus what the running trial trained before its next evaluation.
    const spent = csv.slice(1).reduce((sum, row) => sum + Number(row[7]), 0);
    expect(spent).toBeGreaterThanOrEqual(120);
    expect(spent).toBeLessThanOrEqual(120 + 10);
    // Each trial drawn once, claimed in draws/.
    expect(readdirSync(join(dir, 'draws'))).toHaveLength(csv.length - 1);
    // The trials compiled variants here, and none became what `graphc run` runs next.
    expect(existsSync(join(cwd, '.graphc', 'last-module.json'))).toBe(false);
  });

  it('the same command again runs nothing new (the budget is spent) and reports the same table', () => {
    const dir = join(cwd, 'sweeps', 'search');
    const before = readFileSync(join(dir, 'results.csv'), 'utf8');
    const r = graphc(args, cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/started|resumed|promoted/);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toBe(before);
  });

  it('refuses search options that mean nothing, with GC763', () => {
    const bad = graphc(['sweep', IRIS, '--sampler', 'tpe', '--random', 'lr=loguniform:1e-4:1e-1', '--pruner', 'asha', '--min-resource', '15', '--eval-every', '10', '--budget', 'ten', '--dir', 'sweeps'], cwd);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error GC763: --min-resource 15: the pruner decides at evaluations, every 10 steps here: give a multiple of 10/);
    expect(bad.stderr).toMatch(/error GC763: --budget ten: expected total training steps \(20000\) or a wall time \(90s, 30m, 2h\)/);
    const unbounded = graphc(['sweep', IRIS, '--sampler', 'random', '--random', 'lr=loguniform:1e-4:1e-1', '--startup', '2', '--dir', 'sweeps'], cwd);
    expect(unbounded.status).toBe(1);
    expect(unbounded.stderr).toMatch(/error GC763: --startup 2: only means something with --sampler tpe/);
    expect(unbounded.stderr).toMatch(/error GC763: --sampler random: a sampler draws until --samples N or --budget is reached/);
    const queued = graphc(['sweep', IRIS, '--sampler', 'random', '--random', 'lr=loguniform:1e-4:1e-1', '--samples', '2', '--dir', 'sweeps', '--queue', 'redis://127.0.0.1:1'], cwd);
    expect(queued.status).toBe(1);
    // A search runs on the queue too: this one gets as far as connecting (nothing listens there).
    expect(queued.stderr).toMatch(/error GC771: /);
  });
});
