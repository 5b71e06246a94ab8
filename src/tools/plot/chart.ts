/**
 * The vega-lite chart of training curves: each metric (cost, acc, …) of the
 * train batch and the test set against the step, one panel per metric, one
 * colour per run when several are overlaid. `graphc plot` renders it to SVG
 * (curves.ts), and graphc board and a bundled page draw it live; it imports
 * no `node:` module.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Evaluation } from '../../runtime/run_folder.js';

/** The chart's data set, by name: a live page (graphc board) inserts points into it as a run evaluates. */
export const CURVES_DATA = 'points';

/** One run's curves and what names it. */
export interface RunCurves {
  readonly label: string;
  readonly evaluations: readonly Evaluation[];
  /** The model's params, when summary.json says (used to tell overlaid runs apart). */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly model?: string;
}

/**
 * Names overlaid runs by what sets them apart: the model when models differ,
 * and the params whose values differ among runs of the same model
 * (cell_type=gru vs cell_type=block_gru); the folder when nothing does.
 */
export function labelRuns(runs: readonly RunCurves[]): RunCurves[] {
  if (runs.length < 2) return [...runs];
  const models = new Set(runs.map((r) => r.model));
  const labels = runs.map((run) => {
    const peers = runs.filter((r) => r.model === run.model);
    const keys = [...new Set(peers.flatMap((r) => Object.keys(r.params ?? {})))];
    const differing = keys.filter((k) => new Set(peers.map((r) => JSON.stringify(r.params?.[k]))).size > 1);
    const parts = [
      ...(models.size > 1 && run.model !== undefined ? [run.model] : []),
      ...differing.filter((k) => run.params?.[k] !== undefined).map((k) => `${k}=${String(run.params![k])}`),
    ];
    return parts.length > 0 ? parts.join(' ') : (run.model ?? run.label);
  });
  const unique = new Set(labels).size === labels.length;
  return runs.map((r, i) => ({ ...r, label: unique ? labels[i]! : `${labels[i]} (${r.label})` }));
}

const PHASES = ['train', 'validation', 'test'] as const;
const PHASE_COLOURS = { train: '#f28e2b', validation: '#59a14f', test: '#4e79a7' } as const;

interface Point {
  readonly run: string;
  readonly metric: string;
  readonly phase: 'train' | 'validation' | 'test';
  readonly step: number;
  readonly value: number;
}

/** The vega-lite chart of some runs. */
export function curvesChart(runs: readonly RunCurves[], title?: string): TopLevelSpec {
  const points: Point[] = [];
  const metrics: string[] = [];
  for (const run of runs) {
    for (const e of run.evaluations) {
      for (const phase of PHASES) {
        for (const [metric, value] of Object.entries(e[phase] ?? {})) {
          if (!metrics.includes(metric)) metrics.push(metric);
          if (Number.isFinite(value)) points.push({ run: run.label, metric, phase, step: e.step, value });
        }
      }
    }
  }
  const several = runs.length > 1;
  // The validation split's curves only where a run evaluated it, so other charts keep their two colours.
  const phases = PHASES.filter((phase) => phase !== 'validation' || points.some((p) => p.phase === phase));
  const colours = phases.map((phase) => PHASE_COLOURS[phase]);
  // Legends show line samples: the points on the lines would otherwise turn them into dots.
  const legend = { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 250, labelLimit: 480 };
  const series = several
    ? {
        color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.label), legend },
        strokeDash: { field: 'phase', type: 'nominal', title: null, sort: phases, legend: { ...legend, encode: { symbols: { update: { stroke: { value: '#555' } } } } } },
      }
    : { color: { field: 'phase', type: 'nominal', title: null, sort: phases, scale: { range: colours }, legend } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title ?? (several ? 'training curves' : `${runs[0]?.model ?? runs[0]?.label ?? 'run'}: training curves`),
    background: 'white',
    data: { name: CURVES_DATA, values: points },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 320,
      height: 220,
      mark: { type: 'line', point: { size: 24 }, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        ...series,
        tooltip: [{ field: 'run' }, { field: 'phase' }, { field: 'step' }, { field: 'value', format: '.6f' }],
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'Helvetica, Arial, sans-serif', legend: { orient: 'right' } },
  } as TopLevelSpec;
}

