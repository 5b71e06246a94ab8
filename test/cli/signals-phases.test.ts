/**
 * Signals in every phase of graphc run, sent to a real child process: the
 * first asks it to stop (after the current step or test batch), the second
 * ends it within a second wherever it is — start-up and compile, data
 * loading, worker start-up, training, evaluation, checkpoint and plot.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { graphc } from '../helpers/cli.js';

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from the last signal sent to the exit. */
  readonly exitAfter: number;
  /** Whether the marker was seen (the signals were sent in the phase meant). */
  readonly marked: boolean;
}

/**
 * Runs graphc with `args`; when `marker` matches its output (stderr or
 * stdout), after `delay` ms, sends `signals` SIGINTs 100 ms apart.
 */
function interrupt(args: readonly string[], marker: RegExp | undefined, { signals = 2, delay = 0 } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/graphc.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let marked = false;
    let lastSignal = 0;
    const send = (): void => {
      if (marked) return;
      marked = true;
      setTimeout(() => {
        for (let i = 0; i < signals; i++) {
          setTimeout(() => {
            lastSignal = performance.now();
            child.kill('SIGINT');
          }, i * 100);
        }
      }, delay);
    };
    const watch = (): void => {
      if (marker?.test(stderr) || marker?.test(stdout)) send();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      watch();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      watch();
    });
    if (!marker) send();
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, exitAfter: performance.now() - lastSignal, marked }));
  });
}

function expectStoppedBySignal(o: Outcome): void {
  expect(o.marked, o.stderr).toBe(true);
  expect(o.code === 130 || o.signal === 'SIGINT', `exit ${String(o.code)} ${String(o.signal)}:\n${o.stderr}`).toBe(true);
  expect(o.stderr).not.toContain('internal error');
  expect(o.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

const tiny = ['--set', 'layer_num=1', '--no-progress'];

describe('two signals end graphc run within a second, in every phase', () => {
  it('start-up and compile (a variant compiled on the way)', async () => {
    // A hidden size no other test compiles, so the variant is compiled in this run.
    const hidden = 100 + (process.pid % 800);
    const o = await interrupt(['run', 'graphs/gru.yaml', '--backend', 'wasm', '--set', `hidden_size=${hidden}`, ...tiny, '--no-out'], undefined, { delay: 700 });
    expectStoppedBySignal(o);
    expect(o.stderr).not.toContain('graphc: backend');
    expect(o.exitAfter).toBeLessThan(1000);
  });

  it('data loading (after the backend is up)', async () => {
    const o = await interrupt(['run', 'graphs/gru.yaml', '--backend', 'wasm', '--set', 'hidden_size=8', ...tiny, '--workers', '1', '--no-out'], /graphc: backend /);
    expectStoppedBySignal(o);
    expect(o.stdout).toBe('');
    expect(o.exitAfter).toBeLessThan(1000);
  });

  it('worker start-up', async () => {
    const o = await interrupt(['run', 'graphs/gru.yaml', '--backend', 'wasm', '--set', 'hidden_size=8', ...tiny, '--workers', '2', '--no-out'], /graphc: 2 worker threads/);
    expectStoppedBySignal(o);
    expect(o.stdout).toBe('');
    expect(o.exitAfter).toBeLessThan(1000);
  });

  it('training, in steps longer than a second (the full-size Bi-GRU, two workers)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-sig-train-')), 'run');
    const o = await interrupt(['run', 'graphs/bigru.yaml', '--backend', 'wasm', '--workers', '2', '--eval-every', '1000', '--out', out], /graphc: step \d+\//);
    expectStoppedBySignal(o);
    expect(o.exitAfter).toBeLessThan(1000);
  });

  it('evaluation (600 test batches of 1000, seconds long)', async () => {
    const args = ['run', 'graphs/gru.yaml', '--backend', 'wasm', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--workers', '1', '--steps', '2', '--eval-every', '2', '--eval-batches', '600', '--batch-size', '1000', '--no-out'];
    // Progress lines come at step 1; the evaluation follows step 2 (a fraction of a second) and lasts
    // seconds, so a second after step 1 is well inside it even on a loaded machine.
    const o = await interrupt(args, /graphc: step 1\/2/, { delay: 1000 });
    expectStoppedBySignal(o);
    expect(o.stdout).toBe('');
    expect(o.exitAfter).toBeLessThan(1000);
  });

  it('checkpoint and plot (right after an evaluation line)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-sig-plot-')), 'run');
    const o = await interrupt(['run', 'graphs/gru.yaml', '--backend', 'wasm', '--set', 'hidden_size=8', ...tiny, '--workers', '1', '--eval-every', '1', '--eval-batches', '1', '--steps', '100000', '--out', out], /^step 1, /m);
    expectStoppedBySignal(o);
    expect(o.exitAfter).toBeLessThan(1000);
    // Whatever was under way, the checkpoint on disk is a whole one.
    expect(readCheckpoint(out).header.step).toBeGreaterThanOrEqual(1);
  });
});

describe('one signal during an evaluation', () => {
  it('drops the evaluation at once: the checkpoint is the last step, and --resume evaluates it first, as if never stopped', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-sig-eval-')), 'run');
    const args = ['graphs/gru.yaml', '--backend', 'wasm', '--set', 'hidden_size=4', '--set', 'layer_num=1', '--workers', '1', '--steps', '2', '--eval-every', '2', '--eval-batches', '600', '--batch-size', '1000'];
    // The evaluation after step 2 takes seconds; the signal comes a second after step 1, inside it.
    const o = await interrupt(['run', ...args, '--out', out], /graphc: step 1\/2/, { signals: 1, delay: 1000 });
    expect(o.code, o.stderr).toBe(130);
    expect(o.exitAfter).toBeLessThan(1000);
    expect(o.stdout).toBe('');
    expect(o.stderr).toContain(`graphc: interrupted at step 2; checkpoint saved in ${out}; resume with: graphc run --resume ${out}`);
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
    expect(readCheckpoint(out).header.pendingEvaluation?.step).toBe(2);

    const resumed = graphc('run', '--resume', out, '--no-progress');
    expect(resumed.status, resumed.stderr).toBe(0);
    const reference = graphc('run', ...args, '--no-out', '--no-progress');
    expect(reference.status, reference.stderr).toBe(0);
    const line = (stdout: string) => stdout.replace(/pass [\d.]+s/, 'pass');
    expect(line(resumed.stdout)).toBe(line(reference.stdout));
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
