/**
 * The board's folder index, on real folders: what it finds (runs at any depth,
 * sweeps with their trials, nothing through links out), each run's status
 * from its files and run.lock, and that it reads the end of metrics.jsonl
 * only — so hundreds of runs with long metrics stay cheap.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLastEvaluation, writeMetrics, writeSummary, type Evaluation, type RunSummary } from '../../../src/runtime/run_folder.js';
import { boardRoots } from '../../../src/tools/board/paths.js';
import { BoardIndex } from '../../../src/tools/board/scan.js';
import { recordFailure } from '../../../src/tools/sweep/folder.js';

function evaluation(step: number): Evaluation {
  return { step, train: { cost: 1 / step, acc: 0.5 }, test: { cost: 2 / step, acc: step / 1000 }, elapsed: 1 };
}

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    model: 'bigru',
    spec: 'graphs/bigru.yaml',
    params: { lr: 0.001, input_size: 28, timestep_size: 28, hidden_size: 64, layer_num: 2, class_num: 10, cell_type: 'block_gru' },
    backend: 'wasm',
    device: 'a 2-core CPU',
    host: hostname(),
    versions: {},
    seed: 1,
    steps: 30,
    interrupted: false,
    wall_seconds: 3,
    final: evaluation(30),
    ...overrides,
  };
}

function run(dir: string, options: { summary?: Partial<RunSummary> | false; steps?: number[] } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeMetrics(dir, (options.steps ?? [10, 20, 30]).map(evaluation));
  if (options.summary !== false) writeSummary(dir, summary(options.summary ?? {}));
  return dir;
}

/** Makes a file look untouched for an hour. */
function age(file: string): void {
  const past = new Date(Date.now() - 3600_000);
  utimesSync(file, past, past);
}

describe('the board index', () => {
  it('finds runs at any depth and sweeps, newest first, and lists a sweep\'s trials under the sweep only', () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-scan-'));
    run(join(root, 'runs', 'old'));
    age(join(root, 'runs', 'old', 'metrics.jsonl'));
    age(join(root, 'runs', 'old', 'summary.json'));
    run(join(root, 'runs', 'group', 'nested'));
    cpSync('docs/runs/sweep-readme-demo', join(root, 'sweeps', 'demo'), { recursive: true });
    const index = new BoardIndex(boardRoots([root]));
    const { runs, sweeps } = index.scan();
    expect(runs.map((r) => r.id)).toEqual(['0/runs/group/nested', '0/runs/old']);
    expect(runs[0]).toMatchObject({ name: 'nested', folder: join(root, 'runs/group/nested'), status: 'finished', step: 30, totalSteps: 30, backend: 'wasm', device: 'a 2-core CPU' });
    // Only the params that differ from graphs/bigru.yaml's.
    expect(runs[0]!.differing).toEqual({ hidden_size: 64 });
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]).toMatchObject({ id: '0/sweeps/demo', name: 'readme-demo', trials: 4, metric: { name: 'test.acc', mode: 'max' } });
    expect(sweeps[0]!.counts.finished + sweeps[0]!.counts.pending).toBe(4);
    expect(sweeps[0]!.best).toBeCloseTo(0.897, 3);
  });

  it('does not follow a symbolic link out of its folders', () => {
    const outside = mkdtempSync(join(tmpdir(), 'graphc-scan-outside-'));
    run(join(outside, 'private'));
    const root = mkdtempSync(join(tmpdir(), 'graphc-scan-'));
    run(join(root, 'mine'));
    symlinkSync(join(outside, 'private'), join(root, 'link'));
    symlinkSync(outside, join(root, 'linked-folder'));
    expect(new BoardIndex(boardRoots([root])).scan().runs.map((r) => r.name)).toEqual(['mine']);
  });

  it('tells running, finished, interrupted and failed runs apart', () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-scan-'));
    run(join(root, 'finished'));
    run(join(root, 'interrupted'), { summary: { interrupted: true } });
    // No summary, metrics just written: training (a graphc without run.lock).
    run(join(root, 'fresh'), { summary: false });
    // No summary, nothing written for an hour, no checkpoint to resume from: it died.
    run(join(root, 'dead'), { summary: false });
    age(join(root, 'dead', 'metrics.jsonl'));
    // run.lock naming a live process of this machine: running, however quiet.
    run(join(root, 'locked'), { summary: false });
    age(join(root, 'locked', 'metrics.jsonl'));
    writeFileSync(join(root, 'locked', 'run.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    // run.lock of a process that has ended, and no summary: not running.
    run(join(root, 'stale'), { summary: false });
    writeFileSync(join(root, 'stale', 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: new Date().toISOString() }));
    // A failed sweep trial.
    run(join(root, 'trial'), { summary: false });
    recordFailure(join(root, 'trial'), 'GC703: the loss is NaN at step 20');
    const status = Object.fromEntries(new BoardIndex(boardRoots([root])).scan().runs.map((r) => [r.name, [r.status, r.statusNote]]));
    expect(status).toEqual({
      finished: ['finished', undefined],
      interrupted: ['interrupted', undefined],
      fresh: ['running', undefined],
      dead: ['failed', 'stopped before its first checkpoint'],
      locked: ['running', undefined],
      stale: ['failed', 'stopped before its first checkpoint'],
      trial: ['failed', 'GC703: the loss is NaN at step 20'],
    });
  });

  it('reads only the end of metrics.jsonl: a long file with a damaged start still gives its last evaluation', () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-scan-'));
    const dir = join(root, 'long');
    mkdirSync(dir);
    const lines = ['this line is damaged', ...Array.from({ length: 20_000 }, (_, i) => JSON.stringify(evaluation(i + 1)))];
    writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
    expect(readLastEvaluation(dir)).toEqual(evaluation(20_000));
    // A last line still being written (no newline yet) is not read.
    appendFileSync(join(dir, 'metrics.jsonl'), JSON.stringify(evaluation(20_001)).slice(0, 30));
    expect(readLastEvaluation(dir)).toEqual(evaluation(20_000));
    const [entry] = new BoardIndex(boardRoots([root])).scan().runs;
    expect(entry).toMatchObject({ name: 'long', step: 20_000, last: evaluation(20_000) });
  });

  it('indexes hundreds of runs and rereads only those whose files changed', () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-scan-many-'));
    for (let i = 0; i < 300; i++) run(join(root, `run-${String(i).padStart(3, '0')}`), { summary: i % 2 === 0 ? {} : false });
    const index = new BoardIndex(boardRoots([root]));
    const first = index.scan();
    expect(first.runs).toHaveLength(300);
    writeMetrics(join(root, 'run-007'), [10, 20, 30, 40].map(evaluation));
    const second = index.scan();
    expect(second.runs).toHaveLength(300);
    expect(second.runs[0]).toMatchObject({ name: 'run-007', step: 40 });
    const unchanged = (name: string): [unknown, unknown] => [first.runs.find((r) => r.name === name)!.last, second.runs.find((r) => r.name === name)!.last];
    // The same object: the entry was kept, not read again.
    const [before, after] = unchanged('run-100');
    expect(after).toBe(before);
  });
});
