/**
 * The board's sweep view of a search with a pruner, over real HTTP: each
 * trial's rung and status (done, pruned, failed) and the best-so-far curve
 * (steps spent → best metric) as a vega-lite chart. The sweep folder is laid
 * out as a search writes it (sweep.json from the real preparation, draws/,
 * each trial's metrics.jsonl, pruned.json or failure.json, events.jsonl),
 * with made-up values: what is under test is the view, not the search.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMetrics, writeSummary, type Evaluation } from '../../../src/runtime/run_folder.js';
import { startBoard, type RunningBoard } from '../../../src/tools/board/server.js';
import { recordFailure, recordPruned, trialFolder, writeDefinition } from '../../../src/tools/sweep/folder.js';
import { prepareSweep } from '../../../src/tools/sweep/prepare.js';
import { appendEvent, DRAWS_DIR } from '../../../src/tools/sweep/search.js';

function evaluation(step: number, acc: number): Evaluation {
  return { step, train: { cost: 1, acc }, test: { cost: 1, acc }, elapsed: 1 };
}

describe('graphc board: a search\'s sweep page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-board-search-'));
  const root = join(dir, 'sweeps');
  let board: RunningBoard;

  beforeAll(async () => {
    const { definition, dir: sweepDir } = prepareSweep(resolve('graphs/iris.yaml'), {
      grid: [], random: ['lr=loguniform:1e-4:1e-1'], repeat: 1, seed: 1, set: [], schedule: { steps: 40, evalEvery: 10, evalBatches: 1 },
      name: 'search', sampler: 'random', samples: 3, pruner: 'asha', minResource: 10, reduction: 2,
    }, root);
    writeDefinition(sweepDir, definition);
    mkdirSync(join(sweepDir, DRAWS_DIR), { recursive: true });
    // Three draws: one trained to the end (rung 2, 40 steps), one pruned at the first rung (10), one failed at 20.
    const curves: [string, number[]][] = [['ta0000000000000000001', [0.5, 0.7, 0.8, 0.9]], ['ta0000000000000000002', [0.4]], ['ta0000000000000000003', [0.6, 0.65]]];
    let spent = 0;
    curves.forEach(([id, accs], i) => {
      writeFileSync(join(sweepDir, DRAWS_DIR, `${String(i).padStart(5, '0')}.json`), `${JSON.stringify({ id, index: i, params: { lr: 0.01 * (i + 1) }, seed: 1 })}\n`);
      const evaluations = accs.map((acc, k) => evaluation(10 * (k + 1), acc));
      writeMetrics(trialFolder(sweepDir, id), evaluations);
      for (const e of evaluations) {
        spent += 10;
        appendEvent(sweepDir, { trial: id, step: e.step, value: e.test['acc']!, spent });
      }
    });
    const [done, pruned, failed] = curves.map(([id]) => trialFolder(sweepDir, id));
    writeSummary(done!, { model: 'iris', spec: 'graphs/iris.yaml', params: {}, backend: 'wasm', device: 'cpu', host: 'h', versions: {}, seed: 1, steps: 40, interrupted: false, wall_seconds: 4, final: evaluation(40, 0.9) });
    // A pruned trial stopped as an interrupted run does (its summary says so), then the sweep marked it.
    writeSummary(pruned!, { model: 'iris', spec: 'graphs/iris.yaml', params: {}, backend: 'wasm', device: 'cpu', host: 'h', versions: {}, seed: 1, steps: 10, interrupted: true, wall_seconds: 1, final: evaluation(10, 0.4) });
    recordPruned(pruned!, 10);
    recordFailure(failed!, 'error GC601: out of memory');
    board = await startBoard({ folders: [root], port: 0, log: () => {} });
  });

  afterAll(async () => {
    await board?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each trial its rung and status, and the best-so-far curve as a chart', async () => {
    const response = await fetch(`${board.url}api/sweep/0/search`);
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      pruner?: string;
      rows: { trial: string; status: string; rung?: number; steps?: number }[];
      bestSoFar: { spent: number; best: number; trial: string; step: number }[];
      bestChart: { data: { values: { spent: number; best: number }[] }; layer: { mark: { type: string; interpolate?: string } }[]; encoding: { x: { field: string }; y: { field: string } } } | null;
    };
    expect(data.pruner).toBe('asha');
    const byTrial = Object.fromEntries(data.rows.map((r) => [r.trial, r]));
    expect(byTrial['ta0000000000000000001']).toMatchObject({ status: 'done', steps: 40, rung: 2 });
    expect(byTrial['ta0000000000000000002']).toMatchObject({ status: 'pruned', steps: 10, rung: 0 });
    expect(byTrial['ta0000000000000000003']).toMatchObject({ status: 'failed', steps: 20, rung: 1 });
    // Best so far, in the order the evaluations came: 0.5 (10 steps spent), 0.7 (20), 0.8 (30), 0.9 (40); 0.4, 0.6 and 0.65 came later and beat nothing.
    expect(data.bestSoFar.map((p) => [p.spent, p.best])).toEqual([[10, 0.5], [20, 0.7], [30, 0.8], [40, 0.9]]);
    expect(data.bestChart).not.toBeNull();
    expect(data.bestChart!.encoding.x.field).toBe('spent');
    expect(data.bestChart!.encoding.y.field).toBe('best');
    expect(data.bestChart!.data.values.map((v) => v.best)).toEqual([0.5, 0.7, 0.8, 0.9]);
    expect(data.bestChart!.layer.map((l) => l.mark.type)).toEqual(['line', 'point']);
  });
});
