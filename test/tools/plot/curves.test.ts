import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { curvesChart, labelRuns, readRun, renderCurves, type RunCurves } from '../../../src/tools/plot/curves.js';
import { defaultRunFolder } from '../../../src/tools/plot/run-folder.js';

function runFolder(lines: string[], summary?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-run-'));
  writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  if (summary) writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}

const evaluation = (step: number, cost: number, acc: number) => JSON.stringify({ step, train: { cost, acc }, test: { cost: cost * 1.1, acc: acc * 0.9 }, elapsed: 1 });

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof GraphcError ? error.diagnostics[0]!.code : 'not a GraphcError';
  }
  return undefined;
}

describe('training curves', () => {
  it('reads a run folder, with the model and params once summary.json exists', () => {
    const dir = runFolder([evaluation(10, 0.5, 0.5), evaluation(20, 0.3, 0.8)], { model: 'bigru', params: { cell_type: 'gru' } });
    const run = readRun(dir);
    expect(run.evaluations.map((e) => e.step)).toEqual([10, 20]);
    expect(run.model).toBe('bigru');
    expect(run.params).toEqual({ cell_type: 'gru' });
  });

  it('GC750: a folder without metrics.jsonl; GC751: a line that is not an evaluation', () => {
    expect(codeOf(() => readRun(mkdtempSync(join(tmpdir(), 'graphc-empty-'))))).toBe('GC750');
    expect(codeOf(() => readRun(runFolder([evaluation(10, 0.5, 0.5), '{"step": "x"}'])))).toBe('GC751');
    expect(codeOf(() => readRun(runFolder(['not json'])))).toBe('GC751');
  });

  it('labels overlaid runs by the params that differ between them', () => {
    const base = { label: 'dir', evaluations: [], model: 'bigru' };
    const runs: RunCurves[] = [
      { ...base, label: 'a', params: { cell_type: 'gru', hidden_size: 8 } },
      { ...base, label: 'b', params: { cell_type: 'block_gru', hidden_size: 8 } },
    ];
    expect(labelRuns(runs).map((r) => r.label)).toEqual(['cell_type=gru', 'cell_type=block_gru']);
    // Identical params fall back to the model and the folder, so labels stay distinct.
    expect(labelRuns([{ ...base, label: 'a' }, { ...base, label: 'b' }]).map((r) => r.label)).toEqual(['bigru (a)', 'bigru (b)']);
  });

  it('charts every metric of both phases against the step, one panel per metric; a NaN is left out', () => {
    const run = readRun(runFolder([evaluation(10, 0.5, 0.5), JSON.stringify({ step: 20, train: { cost: null, acc: 0.8 }, test: { cost: 0.2, acc: 0.7 }, elapsed: 1 })]));
    const chart = curvesChart([run]) as { data: { values: { metric: string; phase: string; step: number }[] }; facet: { column: { sort: string[] } } };
    expect(chart.facet.column.sort).toEqual(['cost', 'acc']);
    expect(chart.data.values).toHaveLength(7);
    expect(chart.data.values.filter((p) => p.metric === 'cost' && p.phase === 'train').map((p) => p.step)).toEqual([10]);
  });

  it("draws a scheduled, clipped run's lr and grad_norm (training rows only) as panels of their own", async () => {
    const row = (step: number, lr: number, norm: number) => JSON.stringify({ step, train: { cost: 0.5, acc: 0.5, lr, grad_norm: norm }, test: { cost: 0.4, acc: 0.6 }, elapsed: 1 });
    const run = readRun(runFolder([row(10, 1e-3, 2.5), row(20, 5e-4, 1.5)]));
    const chart = curvesChart([run]) as { data: { values: { metric: string; phase: string; step: number; value: number }[] }; facet: { column: { sort: string[] } } };
    expect(chart.facet.column.sort).toEqual(['cost', 'acc', 'lr', 'grad_norm']);
    expect(chart.data.values.filter((p) => p.metric === 'lr').map((p) => [p.phase, p.step, p.value])).toEqual([['train', 10, 1e-3], ['train', 20, 5e-4]]);
    const svg = await renderCurves([run]);
    expect(svg).toContain('>lr<');
    expect(svg).toContain('>grad_norm<');
  });

  it('renders an SVG document with the panels and the runs in the legend', async () => {
    const a = runFolder([evaluation(10, 0.5, 0.5), evaluation(20, 0.3, 0.8)], { model: 'bigru', params: { cell_type: 'gru' } });
    const b = runFolder([evaluation(10, 0.6, 0.4), evaluation(20, 0.35, 0.75)], { model: 'bigru', params: { cell_type: 'block_gru' } });
    const svg = await renderCurves(labelRuns([readRun(a), readRun(b)]));
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg /);
    for (const text of ['cost', 'acc', 'step', 'cell_type=gru', 'cell_type=block_gru', 'train', 'test']) expect(svg).toContain(`>${text}</text>`);
    // Eight lines (2 runs × 2 phases × 2 metrics) and their points are paths.
    expect(svg.match(/ d="M/g)!.length).toBeGreaterThan(8);
  });

  it('names a default run folder by model and local time, never reusing one', () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-runs-'));
    const date = new Date(2025, 0, 2, 3, 4, 5);
    const first = defaultRunFolder('bigru', date, root);
    expect(first).toBe(join(root, 'bigru-20250102-030405'));
    mkdirSync(first);
    expect(defaultRunFolder('bigru', date, root)).toBe(`${first}-2`);
  });
});
