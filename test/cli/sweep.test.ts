/**
 * `graphc sweep` as users run it, on this machine: tiny trials of the Bi-GRU
 * (hidden size 4, one layer, 20 steps) run as child `graphc run`s; the
 * table, results.csv and both pictures; the same command again does no new
 * work; Ctrl-C keeps checkpoints and the same command resumes, ending where
 * an uninterrupted sweep ends; bad arguments and a failing trial.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TINY = ['--set', 'hidden_size=4', '--set', 'layer_num=1', '--steps', '20', '--eval-every', '10', '--eval-batches', '1'];

function sweep(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/graphc.js', 'sweep', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const csvRows = (dir: string): string[][] => readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));

describe('graphc sweep on this machine', () => {
  const root = mkdtempSync(join(tmpdir(), 'graphc-sweep-'));
  const args = ['graphs/bigru.yaml', '--grid', 'cell_type=gru,block_gru', '--grid', 'lr=0.001,0.01', ...TINY, '--name', 'four', '--dir', root, '--parallel', '2'];

  it('runs 4 trials and prints the table, writes results.csv and the two pictures', () => {
    const r = sweep(args);
    expect(r.status, r.stderr).toBe(0);
    const table = r.stdout.trim().split('\n');
    expect(table[0]).toMatch(/^#\s+trial\s+cell_type\s+lr\s+final test\.acc\s+best test\.acc\s+steps\s+wall s\s+steps\/s\s+backend\s+host\s+status$/);
    expect(table.slice(2)).toHaveLength(4);
    for (const row of table.slice(2)) expect(row).toMatch(/^\d\s+t[0-9a-f]{20}\s+(gru|block_gru)\s+0\.0+1\s+0\.\d{4}\s+0\.\d{4}\s+20\s+[\d.]+\s+[\d.]+\s+\w+\s+\S+\s+done$/);
    const dir = join(root, 'four');
    const rows = csvRows(dir);
    expect(rows[0]!.slice(0, 6)).toEqual(['trial', 'status', 'cell_type', 'lr', 'seed', 'final_test_acc']);
    expect(rows).toHaveLength(5);
    // Sorted by the final metric, best first.
    const finals = rows.slice(1).map((row) => Number(row[5]));
    expect(finals).toEqual([...finals].sort((a, b) => b - a));
    // gru and block_gru compute the same function from the same seed: the same curve.
    const byVariant = new Map(rows.slice(1).map((row) => [`${row[2]} ${row[3]}`, row[5]]));
    expect(byVariant.get('gru 0.001')).toBe(byVariant.get('block_gru 0.001'));
    for (const picture of ['curves.svg', 'params.svg']) expect(readFileSync(join(dir, picture), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*cell_type/);
    expect(JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'))).toMatchObject({ format: 'graphc-sweep', name: 'four', metric: { name: 'test.acc', mode: 'max' } });
  });

  it('the same command again runs nothing new and reports the same table', () => {
    const dir = join(root, 'four');
    const trials = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { trials: { id: string }[] };
    const before = trials.trials.map((t) => statSync(join(dir, 'trials', t.id, 'metrics.jsonl')).mtimeMs);
    const first = readFileSync(join(dir, 'results.csv'), 'utf8');
    const r = sweep(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/started|resumed/);
    expect(trials.trials.map((t) => statSync(join(dir, 'trials', t.id, 'metrics.jsonl')).mtimeMs)).toEqual(before);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toBe(first);
    const report = spawnSync(process.execPath, ['bin/graphc.js', 'sweep', 'report', 'four', '--dir', root], { encoding: 'utf8' });
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toBe(r.stdout);
  });

  it('Ctrl-C keeps checkpoints; the same command resumes, and ends where an uninterrupted sweep ends', async () => {
    const long = ['graphs/bigru.yaml', '--grid', 'cell_type=gru,block_gru', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--steps', '60', '--eval-every', '10', '--eval-batches', '1', '--parallel', '1'];
    const interruptedRoot = mkdtempSync(join(tmpdir(), 'graphc-sweep-int-'));
    const child = spawn(process.execPath, ['bin/graphc.js', 'sweep', ...long, '--name', 'int', '--dir', interruptedRoot], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // Interrupt once the first trial has evaluated (and so checkpointed) once.
        if (/step 10, test\.acc/.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exit, stderr).toBe(130);
    expect(stderr).toMatch(/SIGINT: the running trials stop after their step, with checkpoints/);
    expect(stderr).toMatch(/stopped with a checkpoint/);
    const resumed = sweep([...long, '--name', 'int', '--dir', interruptedRoot]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resumed from its checkpoint/);

    const straight = sweep([...long, '--name', 'straight', '--dir', interruptedRoot]);
    expect(straight.status, straight.stderr).toBe(0);
    const metrics = (name: string): string[] => {
      const def = JSON.parse(readFileSync(join(interruptedRoot, name, 'sweep.json'), 'utf8')) as { trials: { id: string }[] };
      return def.trials.map((t) => readFileSync(join(interruptedRoot, name, 'trials', t.id, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.stringify({ ...JSON.parse(l), elapsed: 0 })).join('\n'));
    };
    expect(metrics('int')).toEqual(metrics('straight'));
  });

  it('a failing trial fails alone, with its diagnostic as the reason; the sweep goes on and exits 1', () => {
    const r = sweep(['graphs/bigru.yaml', '--grid', 'lr=0.001,1e30', ...TINY, '--name', 'nan', '--dir', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/lr=1e\+30: failed: error GC703: the loss 'cross_entropy' became NaN/);
    expect(r.stdout).toMatch(/\s0\.001\s.*\sdone$/m);
    expect(r.stdout).toMatch(/\s1e\+30\s.*\sfailed$/m);
    expect(r.stdout).toMatch(/failed:\n {2}t[0-9a-f]{20}: error GC703/);
    expect(csvRows(join(root, 'nan')).find((row) => row[1] === 'failed')).toBeDefined();
  });

  it('bad arguments are located diagnostics before anything runs', () => {
    const cases: [string[], RegExp][] = [
      [['--grid', 'hiden_size=4,8'], /error GC304: --grid names no param 'hiden_size' \(did you mean 'hidden_size'\?\)/],
      [['--grid', 'hidden_size='], /error GC760: --grid hidden_size=: has an empty value/],
      [['--random', 'lr=gauss:0:1', '--samples', '2'], /error GC760: --random lr=gauss:0:1: no distribution 'gauss'/],
      [['--random', 'lr=uniform:0:1'], /error GC760: --random lr=uniform:0:1: needs --samples N/],
      [['--grid', 'lr=0.1,0.2', '--set', 'lr=0.3'], /error GC760: --grid lr=0.1,0.2: 'lr' is also given/],
      [['--grid', 'cell_type=1,2'], /error GC305: --set cell_type=1: expected a string/],
      [['--grid', 'cell_type=rnn'], /error GC207: unknown cell type 'rnn'/],
    ];
    for (const [extra, message] of cases) {
      const r = sweep(['graphs/bigru.yaml', ...extra, '--dir', root]);
      expect(r.status, extra.join(' ')).toBe(1);
      expect(r.stderr, extra.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(root, 'bigru'))).toBe(false);
  });

  it('a name that holds another sweep is GC762; a name that holds none is GC761', () => {
    const other = sweep(['graphs/bigru.yaml', '--grid', 'cell_type=gru,block_gru', '--grid', 'lr=0.001,0.1', ...TINY, '--name', 'four', '--dir', root]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/error GC762: sweep 'four' exists with other --grid, --random, --set, --repeat, --seed or schedule options/);
    const report = spawnSync(process.execPath, ['bin/graphc.js', 'sweep', 'report', 'nosuch', '--dir', root], { encoding: 'utf8' });
    expect(report.status).toBe(1);
    expect(report.stderr).toMatch(/error GC761: .*nosuch holds no sweep\.json/);
  });
});
