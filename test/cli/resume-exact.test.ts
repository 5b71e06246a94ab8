/**
 * A resumed run's metrics are an uninterrupted run's, bit for bit (issue 29):
 * killed with -9 anywhere (in a step, an evaluation, a checkpoint's write),
 * stopped by SIGTERM, with one worker thread or two, with graphc's GEMM or
 * XNNPACK's. Values are compared as metrics.jsonl holds them (full
 * precision), not as the log line prints them. Tiny models, few steps.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODEL = ['graphs/bigru.yaml', '--set', 'hidden_size=8', '--set', 'layer_num=1', '--set', 'cell_type=block_gru', '--backend', 'wasm', '--no-progress'];
// Long enough (a few seconds of steps) that every kill below lands before the run ends, however fast the machine.
const SCHEDULE = ['--steps', '200', '--eval-every', '20', '--eval-batches', '10'];

interface Row {
  step: number;
  train: Record<string, number>;
  test: Record<string, number>;
}

/** metrics.jsonl's values (its `elapsed`, wall time, aside). */
function metrics(dir: string): Row[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row & { elapsed: number })
    .map(({ step, train, test }) => ({ step, train, test }));
}

function runToEnd(args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(process.execPath, ['bin/graphc.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  expect(r.status, r.stderr).toBe(0);
}

/** A run's next start: resumed when its folder has a checkpoint (as a user would), else from the beginning. */
function nextStart(out: string, workers: string[]): string[] {
  return existsSync(join(out, 'checkpoint.gck')) ? ['run', '--resume', out] : ['run', ...MODEL, ...SCHEDULE, ...workers, '--out', out, '--overwrite'];
}

/** Whether the run in `dir` has written its last step's metrics. */
function finished(dir: string): boolean {
  return existsSync(join(dir, 'metrics.jsonl')) && metrics(dir).at(-1)?.step === 200;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.on('exit', () => resolve()));
}

describe('resume is exact', () => {
  it('killed with -9 at random points (mid-step, mid-evaluation, mid-checkpoint write) and resumed each time, the run ends with the uninterrupted metrics, bit for bit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-exact-'));
    const workers = ['--workers', '1'];
    runToEnd(['run', ...MODEL, ...SCHEDULE, ...workers, '--out', join(root, 'ref')]);
    const out = join(root, 'killed');
    const kills: string[] = [];
    let resumed = 0;
    // Each kind of moment once, at a random time within it. Every trigger is an event of the run
    // (a log line, the checkpoint's temporary file appearing), so a slow or a fast machine kills alike.
    for (const moment of ['after an evaluation line', 'checkpoint being written', 'after an evaluation line', 'any time']) {
      if (finished(out)) break;
      const args = nextStart(out, workers);
      if (args[1] === '--resume') resumed++;
      const child = spawn(process.execPath, ['bin/graphc.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
      const done = exited(child);
      let killed = false;
      const kill = (what: string): void => {
        if (killed) return;
        killed = true;
        kills.push(what);
        child.kill('SIGKILL');
      };
      child.stderr.resume();
      let watcher: FSWatcher | undefined;
      if (moment === 'after an evaluation line') {
        // Within the next steps or the next evaluation (10 test batches), or between them.
        const delay = Math.random() * 300;
        child.stdout.on('data', (chunk: Buffer) => {
          if (/^step \d+,/m.test(chunk.toString())) setTimeout(() => kill(`${moment}, +${Math.round(delay)} ms`), delay);
        });
      } else if (moment === 'checkpoint being written') {
        child.stdout.resume();
        // The atomic write's temporary file appears while the checkpoint is written; inotify sees it however briefly it lives.
        watcher = watch(out, (_event, file) => {
          if (file?.startsWith('.checkpoint.gck.')) kill(moment);
        });
      } else {
        // Somewhere in the training, not in the start-up: after the first evaluation line, by up to 2 s.
        const delay = Math.random() * 2000;
        child.stdout.on('data', (chunk: Buffer) => {
          if (/^step \d+,/m.test(chunk.toString())) setTimeout(() => kill(`${moment}: ${Math.round(delay)} ms after an evaluation line`), delay);
        });
      }
      await done;
      watcher?.close();
    }
    runToEnd(nextStart(out, workers));
    expect(kills.length, `kills: ${kills.join('; ')}`).toBeGreaterThanOrEqual(3);
    expect(resumed).toBeGreaterThanOrEqual(1);
    expect(metrics(out), `kills: ${kills.join('; ')}`).toEqual(metrics(join(root, 'ref')));
  }, 600_000);

  it('stopped by SIGTERM with two workers and XNNPACK\'s GEMM (GRAPHC_WASM_GEMM=off), resumed with no flags, the metrics are the uninterrupted ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-exact-'));
    const env = { GRAPHC_WASM_GEMM: 'off' };
    const workers = ['--workers', '2'];
    runToEnd(['run', ...MODEL, ...SCHEDULE, ...workers, '--out', join(root, 'ref')], env);
    const out = join(root, 'stopped');
    const child = spawn(process.execPath, ['bin/graphc.js', 'run', ...MODEL, ...SCHEDULE, ...workers, '--out', out], { env: { ...process.env, NO_COLOR: '1', ...env } });
    const done = exited(child);
    child.stderr.resume();
    child.stdout.on('data', (chunk: Buffer) => {
      if (/^step 20,/m.test(chunk.toString())) child.kill('SIGTERM');
    });
    await done;
    expect(metrics(out).length).toBeLessThan(4);
    // No --workers: the resumed run keeps the run's two (the default here may be another count).
    runToEnd(['run', '--resume', out], env);
    expect(metrics(out)).toEqual(metrics(join(root, 'ref')));
  }, 600_000);
});
