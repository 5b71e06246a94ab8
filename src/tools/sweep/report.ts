/**
 * What a sweep found: one row per trial from its run folder (final and best
 * metric, steps, time, speed, where it ran), as a table sorted by the metric,
 * results.csv, curves.svg (every trial's curves overlaid) and params.svg
 * (parallel coordinates: each trial a line through its params to its metric).
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { readMetrics, readSummary, type Evaluation } from '../../runtime/run_folder.js';
import { writeFileAtomic } from '../../common/fs.js';
import { renderChart, renderCurves, type RunCurves } from '../plot/curves.js';
import { metricValue, type SweepDefinition, type Trial } from './definition.js';
import { trialFolder, trialState, type TrialState } from './folder.js';
import { prunerNamed } from './pruners/index.js';
import { allTrials, bestSoFar, prunerSettings, readEvents, searchSpace, type SweepEventLine } from './search.js';

export const RESULTS_FILE = 'results.csv';
export const CURVES_FILE = 'curves.svg';
export const PARAMS_FILE = 'params.svg';
/** The sweep's best-so-far curve: the steps spent when each new best came. */
export const BEST_FILE = 'best.csv';

export interface TrialRow {
  readonly trial: Trial;
  readonly state: TrialState['state'];
  readonly reason?: string;
  readonly evaluations: readonly Evaluation[];
  readonly final?: number;
  readonly best?: number;
  /** The last evaluated step. */
  readonly steps?: number;
  /** Seconds of all evaluation passes (resumed segments included). */
  readonly wallSeconds?: number;
  readonly backend?: string;
  readonly host?: string;
}

export function collectRows(definition: SweepDefinition, dir: string): TrialRow[] {
  const { name: metric, mode } = definition.metric;
  return allTrials(definition, dir).map((trial) => {
    const folder = trialFolder(dir, trial.id);
    const state = trialState(folder);
    let evaluations: Evaluation[] = [];
    try {
      evaluations = readMetrics(folder);
    } catch {
      // Not started yet, or failed before its first evaluation.
    }
    const values = evaluations.map((e) => metricValue(e, metric)).filter((v): v is number => v !== undefined);
    const last = evaluations.at(-1);
    const finalValue = last ? metricValue(last, metric) : undefined;
    const summary = readSummary(folder);
    return {
      trial,
      state: state.state,
      ...(state.state === 'failed' ? { reason: state.reason } : {}),
      evaluations,
      ...(finalValue !== undefined ? { final: finalValue } : {}),
      ...(values.length > 0 ? { best: mode === 'max' ? Math.max(...values) : Math.min(...values) } : {}),
      ...(last ? { steps: last.step, wallSeconds: evaluations.reduce((sum, e) => sum + e.elapsed, 0) } : {}),
      ...(summary?.backend !== undefined ? { backend: summary.backend } : {}),
      ...(summary?.host !== undefined ? { host: summary.host } : {}),
    };
  });
}

/** Best first by the final metric; trials without one after, in sweep order. */
export function sortRows(rows: readonly TrialRow[], mode: 'max' | 'min'): TrialRow[] {
  const key = (r: TrialRow): number => (r.final === undefined ? Number.NaN : mode === 'max' ? -r.final : r.final);
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (Number.isNaN(ka) || Number.isNaN(kb)) return Number.isNaN(ka) === Number.isNaN(kb) ? a.trial.index - b.trial.index : Number.isNaN(ka) ? 1 : -1;
    return ka - kb || a.trial.index - b.trial.index;
  });
}

/** The params that differ among trials (seed when --repeat gives several). */
export function variedParams(definition: SweepDefinition): string[] {
  const names = definition.options.search ? searchSpace(definition).map((s) => s.param) : [...new Set(definition.trials.flatMap((t) => Object.keys(t.params)))];
  return definition.options.repeat > 1 ? [...names, 'seed'] : names;
}

function paramOf(trial: Trial, name: string): string | number | boolean | undefined {
  return name === 'seed' ? trial.seed : trial.params[name];
}

/** "cell_type=gru hidden_size=32": a trial by what sets it apart. */
export function trialLabel(definition: SweepDefinition, trial: Trial): string {
  const params = variedParams(definition);
  return params.length > 0 ? params.map((p) => `${p}=${String(paramOf(trial, p))}`).join(' ') : trial.id;
}

const fixed = (v: number | undefined, digits: number): string => (v === undefined ? '' : v.toFixed(digits));

/** The table; with `events` (events.jsonl) a search's table ends with its best value and when it first came. */
export function formatTable(definition: SweepDefinition, rows: readonly TrialRow[], events: readonly SweepEventLine[] = []): string {
  const params = variedParams(definition);
  const { name: metric } = definition.metric;
  const rung = rungColumn(definition);
  const header = ['#', 'trial', ...params, `final ${metric}`, `best ${metric}`, 'steps', ...(rung ? ['rung'] : []), 'wall s', 'steps/s', 'backend', 'host', 'status'];
  const body = sortRows(rows, definition.metric.mode).map((r, i) => [
    String(i + 1),
    r.trial.id,
    ...params.map((p) => String(paramOf(r.trial, p) ?? '')),
    fixed(r.final, 4),
    fixed(r.best, 4),
    r.steps === undefined ? '' : String(r.steps),
    ...(rung ? [rung(r.steps)] : []),
    fixed(r.wallSeconds, 1),
    r.steps !== undefined && r.wallSeconds ? (r.steps / r.wallSeconds).toFixed(2) : '',
    r.backend ?? '',
    r.host ?? '',
    r.state,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const failures = rows.filter((r) => r.reason !== undefined).map((r) => `  ${r.trial.id}: ${r.reason}`);
  const best = bestSoFar(events, definition.metric.mode).at(-1);
  const bestLine = definition.options.search && best ? ['', `best ${metric} ${best.best.toFixed(4)} (trial ${best.trial}, step ${best.step}), first reached after ${best.spent} steps of the sweep's training`] : [];
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...bestLine, ...(failures.length > 0 ? ['', 'failed:', ...failures] : [])].join('\n');
}

/** With a pruner: the rung each trial reached (ASHA's index; the median rule has none, so its step). */
export function rungColumn(definition: SweepDefinition): ((steps: number | undefined) => string) | undefined {
  const options = definition.options.pruner;
  if (!options) return undefined;
  const pruner = prunerNamed(options.name);
  const settings = prunerSettings(definition);
  return (steps) => {
    if (steps === undefined) return '';
    const rung = pruner?.rungOf?.(steps, settings);
    return rung === undefined ? '' : String(rung);
  };
}


function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultsCsv(definition: SweepDefinition, rows: readonly TrialRow[]): string {
  const params = definition.options.search ? searchSpace(definition).map((s) => s.param) : [...new Set(definition.trials.flatMap((t) => Object.keys(t.params)))];
  const metric = definition.metric.name.replace('.', '_');
  const rung = rungColumn(definition);
  const header = ['trial', 'status', ...params, 'seed', `final_${metric}`, `best_${metric}`, 'steps', ...(rung ? ['rung'] : []), 'wall_seconds', 'steps_per_second', 'backend', 'host', 'reason'];
  const lines = sortRows(rows, definition.metric.mode).map((r) =>
    [
      r.trial.id,
      r.state,
      ...params.map((p) => r.trial.params[p]),
      r.trial.seed,
      r.final,
      r.best,
      r.steps,
      ...(rung ? [rung(r.steps)] : []),
      r.wallSeconds === undefined ? undefined : Number(r.wallSeconds.toFixed(3)),
      r.steps !== undefined && r.wallSeconds ? Number((r.steps / r.wallSeconds).toFixed(4)) : undefined,
      r.backend,
      r.host,
      r.reason,
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

/** Parallel coordinates: an axis per varied param and one for the metric, each trial a line coloured by its metric. */
/** A search's best-so-far curve: the best value after the steps the sweep had spent, a step line with a point where each new best came. */
export function bestSoFarChart(definition: SweepDefinition, points: readonly { spent: number; best: number; trial: string; step: number }[]): TopLevelSpec {
  const { name: metric } = definition.metric;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${definition.name}: best ${metric} so far`,
    background: 'white',
    width: 480,
    height: 220,
    data: { values: points.map((p) => ({ ...p, best: Number(p.best.toPrecision(6)) })) },
    encoding: {
      x: { field: 'spent', type: 'quantitative', title: "steps spent by the sweep" },
      y: { field: 'best', type: 'quantitative', title: `best ${metric}`, scale: { zero: false } },
    },
    layer: [
      // The best stays where it is until a trial beats it: a step line.
      { mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 } },
      { mark: { type: 'point', filled: true, size: 50 }, encoding: { tooltip: [{ field: 'trial' }, { field: 'step', title: 'at step' }, { field: 'spent', title: 'steps spent' }, { field: 'best', title: metric }] } },
    ],
  } as TopLevelSpec;
}

export function paramsChart(definition: SweepDefinition, rows: readonly TrialRow[]): TopLevelSpec {
  const params = variedParams(definition);
  const { name: metric } = definition.metric;
  const done = rows.filter((r) => r.final !== undefined);
  const axes = [...params, metric];
  const raw = (r: TrialRow, axis: string): string | number | boolean | undefined => (axis === metric ? r.final : paramOf(r.trial, axis));
  const points = done.flatMap((r) =>
    axes.map((axis) => {
      const column = done.map((d) => raw(d, axis));
      const value = raw(r, axis)!;
      let position: number;
      if (column.every((v) => typeof v === 'number')) {
        const numbers = column as number[];
        const [lo, hi] = [Math.min(...numbers), Math.max(...numbers)];
        position = hi > lo ? ((value as number) - lo) / (hi - lo) : 0.5;
      } else {
        const levels = [...new Set(column.map(String))].sort();
        position = levels.length > 1 ? levels.indexOf(String(value)) / (levels.length - 1) : 0.5;
      }
      return { trial: trialLabel(definition, r.trial), axis, position, value: typeof value === 'number' ? Number(value.toPrecision(4)) : String(value), metric: r.final };
    }),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${definition.name}: params → ${metric}`,
    background: 'white',
    width: Math.max(160 * axes.length, 320),
    height: 260,
    data: { values: points },
    encoding: {
      x: { field: 'axis', type: 'nominal', sort: axes, title: null, axis: { labelAngle: 0, labelFontSize: 12, domain: false } },
      y: { field: 'position', type: 'quantitative', axis: null, scale: { domain: [0, 1] } },
    },
    layer: [
      { mark: { type: 'rule', color: '#ccc' }, encoding: { detail: { field: 'axis' }, y: { datum: 0 }, y2: { datum: 1 } } },
      {
        mark: { type: 'line', strokeWidth: 2, opacity: 0.8 },
        encoding: {
          detail: { field: 'trial', type: 'nominal' },
          color: { field: 'metric', type: 'quantitative', title: metric, scale: { scheme: 'viridis', reverse: definition.metric.mode === 'min' } },
        },
      },
      { mark: { type: 'point', filled: true, size: 30, color: '#333' } },
      { mark: { type: 'text', dx: 6, align: 'left', fontSize: 10 }, encoding: { text: { field: 'value' } } },
    ],
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } },
  } as TopLevelSpec;
}

/** Everything a report shows, rendered: the rows, the table, results.csv and the two pictures (none before any trial has evaluated). */
export async function renderReport(definition: SweepDefinition, dir: string): Promise<{ rows: TrialRow[]; table: string; csv: string; curves?: string; params?: string; best?: string }> {
  const rows = collectRows(definition, dir);
  const runs: RunCurves[] = rows
    .filter((r) => r.evaluations.length > 0)
    .map((r) => ({ label: trialLabel(definition, r.trial), evaluations: r.evaluations }));
  const pictures =
    runs.length > 0
      ? { curves: await renderCurves(runs, `${definition.name}: training curves`), params: await renderChart(paramsChart(definition, rows)) }
      : {};
  const events = definition.options.search ? readEvents(dir) : [];
  const best = definition.options.search ? { best: bestCsv(definition, events) } : {};
  return { rows, table: formatTable(definition, rows, events), csv: resultsCsv(definition, rows), ...pictures, ...best };
}

/** Writes results.csv, curves.svg and params.svg into the sweep folder; returns the rows and the table. */
export async function writeReport(definition: SweepDefinition, dir: string): Promise<{ rows: TrialRow[]; table: string }> {
  const report = await renderReport(definition, dir);
  writeFileAtomic(join(dir, RESULTS_FILE), report.csv);
  if (report.curves !== undefined) writeFileAtomic(join(dir, CURVES_FILE), report.curves);
  if (report.params !== undefined) writeFileAtomic(join(dir, PARAMS_FILE), report.params);
  if (report.best !== undefined) writeFileAtomic(join(dir, BEST_FILE), report.best);
  return { rows: report.rows, table: report.table };
}

/** best.csv: after each evaluation that improved the sweep's best, the steps spent by then and the best. */
export function bestCsv(definition: SweepDefinition, events: readonly SweepEventLine[]): string {
  const metric = definition.metric.name.replace('.', '_');
  const lines = bestSoFar(events, definition.metric.mode).map((p) => [p.spent, p.best, p.trial, p.step].join(','));
  return [`steps_spent,best_${metric},trial,step`, ...lines].join('\n') + '\n';
}
