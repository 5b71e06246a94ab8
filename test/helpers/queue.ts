/**
 * What the queue tests share: a sweep definition of tiny graphs/bigru.yaml
 * trials, real `graphc worker` processes (their output kept), and waiting
 * for a condition.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphcVersion } from '../../src/common/version.js';
import { expandTrials, type SweepDefinition, type SweepOptions, type TrialSchedule } from '../../src/tools/sweep/definition.js';

export const BIGRU = readFileSync('graphs/bigru.yaml', 'utf8');

/** A sweep of graphs/bigru.yaml with hidden_size=4 and layer_num=1 (tiny trials); repeat seeds from 7. */
export function definition(name: string, grid: SweepOptions['grid'], schedule: TrialSchedule, repeat = 1): SweepDefinition {
  const options: SweepOptions = { grid, random: [], samples: 0, repeat, seed: 7, set: { hidden_size: 4, layer_num: 1 }, schedule };
  const version = graphcVersion();
  return {
    format: 'graphc-sweep',
    version: 1,
    name,
    spec: { path: 'graphs/bigru.yaml', text: BIGRU },
    options,
    metric: { name: 'test.acc', mode: 'max' },
    graphcVersion: version,
    trials: expandTrials(BIGRU, options, version),
  };
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  output: string;
}

/** `graphc worker --queue url --store store --lock-duration 3 …args`, its stdout and stderr in output. */
export function startWorker(url: string, store: string, options: { cwd?: string; args?: readonly string[] } = {}): WorkerProcess {
  const args = [join(process.cwd(), 'bin/graphc.js'), 'worker', '--queue', url, '--store', store, '--lock-duration', '3', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const w: WorkerProcess = { child, output: '' };
  child.stdout!.on('data', (d: Buffer) => (w.output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (w.output += d.toString()));
  return w;
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number, every = 200): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

export function exited(w: WorkerProcess): boolean {
  return w.child.exitCode !== null || w.child.signalCode !== null;
}

/** SIGTERM, and its exit code (143 when it handed its trials back). */
export async function stopWorker(w: WorkerProcess): Promise<number | null> {
  if (exited(w)) return w.child.exitCode;
  const done = new Promise<number | null>((r) => w.child.once('exit', (code) => r(code)));
  w.child.kill('SIGTERM');
  return done;
}

/** Processes (other than this one) whose command line mentions text. */
export function processesWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}
