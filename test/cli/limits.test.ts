/**
 * graphc run with options and sizes beyond the data, the machine or the file
 * system, as a user types them: a catalogue diagnostic before any training,
 * never an internal error; and no native library's chatter without --verbose.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphc } from '../helpers/cli.js';

const tiny = ['graphs/bigru.yaml', '--backend', 'wasm', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--no-progress'];

function expectNoInternalError(r: { stderr: string }): void {
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('graphc run refuses what cannot work before step 1', () => {
  it('a batch larger than the training set is GC709, not an internal error', () => {
    const r = graphc('run', ...tiny, '--batch-size', '60000', '--steps', '1', '--no-out');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error GC709: --batch-size 60000: the train set has only 55000 examples; --batch-size takes at most 55000');
    expect(r.stdout).toBe('');
    expectNoInternalError(r);
  });

  it('a model larger than any memory is GC711 with the numbers and the param to change, not "Invalid typed array length"', () => {
    const r = graphc('run', 'graphs/bigru.yaml', '--backend', 'wasm', '--set', 'hidden_size=100000', '--steps', '1', '--no-out', '--workers', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error GC711: training needs about 3\.5 TiB: 3\.5 TiB for the model \(parameters, gradients, optimizer slots\) and [\d.]+ MiB per example × 100; the wasm backend can address 4\.0 GiB \(WebAssembly's 32-bit memory\); lower the param 'hidden_size' \(now 100000\), e\.g\. --set hidden_size=50000/);
    expect(r.stderr).not.toContain('Invalid typed array length');
    expectNoInternalError(r);
  });

  it('--out naming a file is GC713 before the backend starts, and the file is untouched', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'graphc-outfile-')), 'results');
    writeFileSync(file, 'keep me');
    const r = graphc('run', ...tiny, '--steps', '1', '--out', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error GC713: --out ${file} is a file, not a folder; choose a folder for the run`);
    expect(r.stderr).not.toContain('graphc: backend');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('--out in a place that cannot be written is GC713 before the backend starts', () => {
    const r = graphc('run', ...tiny, '--steps', '1', '--out', '/proc/graphc-run');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error GC713: cannot write in \/proc\/graphc-run \(.+\); choose a folder you can write to with --out/);
    expect(r.stderr).not.toContain('graphc: backend');
  });

  it('--workers beyond the cores is lowered with one line saying so; an evaluation that cycles the test set says so once', () => {
    const r = graphc('run', ...tiny, '--steps', '2', '--eval-every', '1', '--eval-batches', '3', '--batch-size', '5000', '--workers', '512', '--no-out');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.match(/warning GC712: --workers 512: this machine has \d+ cores?; using \d+ workers?\n/g)).toHaveLength(1);
    expect(r.stderr.match(/warning GC710: each evaluation reads 3 test batches of 5000 \(15000 examples\), 1\.5 times the 10000 examples of the test set; lower --eval-batches to 2 to see each example once\n/g)).toHaveLength(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('the default worker count (the cores) is lowered to a batch of one row without a word', () => {
    const r = graphc('run', ...tiny, '--steps', '1', '--eval-every', '5', '--batch-size', '1', '--no-out');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('GC712');
    expect(r.stderr).not.toContain('worker threads');
  });
});

describe('a run folder is never silently replaced', () => {
  it('--out holding another run is refused (how to resume, or --overwrite); --overwrite replaces it', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-reuse-')), 'run');
    const first = graphc('run', ...tiny, '--steps', '2', '--eval-every', '2', '--eval-batches', '1', '--out', out);
    expect(first.status, first.stderr).toBe(0);
    const checkpoint = readFileSync(join(out, 'checkpoint.gck'));

    const again = graphc('run', ...tiny, '--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--out', out);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`error GC713: ${out} holds another run; continue it with: graphc run --resume ${out}, or pass --overwrite to replace it, or choose another --out`);
    expect(readFileSync(join(out, 'checkpoint.gck')).equals(checkpoint)).toBe(true);

    const other = join(out, '..', 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'checkpoint.gck'), checkpoint);
    const resumedElsewhere = graphc('run', '--resume', out, '--steps', '4', '--out', other);
    expect(resumedElsewhere.status).toBe(1);
    expect(resumedElsewhere.stderr).toContain(`error GC713: ${other} holds another run`);

    const replaced = graphc('run', ...tiny, '--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--out', out, '--overwrite', '--seed', '9');
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
  });

  it('a second run into a folder a live run holds is refused at once, naming its pid and host', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-busy-')), 'run');
    const child = spawn(process.execPath, ['bin/graphc.js', 'run', ...tiny.filter((a) => a !== '--no-progress'), '--steps', '100000', '--eval-every', '100000', '--out', out], { env: { ...process.env, NO_COLOR: '1' } });
    const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/graphc: step \d+\/100000/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`the first run ended:\n${stderr}`)));
    });
    try {
      const lock = JSON.parse(readFileSync(join(out, 'run.lock'), 'utf8')) as { pid: number; host: string; startedAt: string };
      expect(lock).toEqual({ pid: child.pid, host: hostname(), startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      const second = graphc('run', ...tiny, '--steps', '2', '--out', out);
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`error GC714: ${out} is in use by another graphc run (pid ${child.pid} on ${hostname()}, started ${lock.startedAt}); wait for it to end, or choose another --out`);
      expect(second.stderr).not.toContain('graphc: backend');
    } finally {
      child.kill('SIGINT');
      await exit;
    }
    // The first run stopped with its checkpoint and let go of the folder.
    expect(existsSync(join(out, 'checkpoint.gck'))).toBe(true);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
  });

  it('a stale lock (its process killed) is taken over with a note', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-stale-')), 'run');
    mkdirSync(out);
    writeFileSync(join(out, 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 3, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const r = graphc('run', ...tiny, '--steps', '2', '--eval-every', '2', '--eval-batches', '1', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`graphc: ${out} was locked by pid ${2 ** 22 + 3} on ${hostname()}, which is gone; taking the lock over`);
  });
});

describe('native libraries are quiet unless --verbose', () => {
  const banner = 'Hi, looks like you are running TensorFlow.js in Node.js';

  it("tfjs's banner does not reach graphc run's output on the cpu backend, and does with --verbose", () => {
    const args = ['run', 'graphs/bigru.yaml', '--backend', 'cpu', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--steps', '1', '--eval-every', '1', '--eval-batches', '1', '--batch-size', '4', '--no-out', '--workers', '1'];
    const quiet = graphc(...args);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr + quiet.stdout).not.toContain(banner);
    const verbose = graphc('--verbose', ...args);
    expect(verbose.status, verbose.stderr).toBe(0);
    expect(verbose.stderr + verbose.stdout).toContain(banner);
  });

  it('nor graphc eval', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-quiet-')), 'run');
    const run = graphc('run', ...tiny, '--steps', '1', '--eval-every', '1', '--eval-batches', '1', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const evaluated = graphc('eval', out, '--backend', 'cpu', '--no-progress', '--batch-size', '5000');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stderr + evaluated.stdout).not.toContain(banner);
  });
});
