/**
 * Training curves: each metric (cost, acc, …) of the train batch and the test
 * set against the step, one panel per metric, one colour per run when several
 * are overlaid. Drawn with vega-lite and rendered to SVG by vega in Node: no
 * browser, no canvas.
 */
import { basename, resolve } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { readMetrics, readSummary } from '../../runtime/run_folder.js';
import { curvesChart, type RunCurves } from './chart.js';

export { CURVES_DATA, curvesChart, labelRuns, type RunCurves } from './chart.js';

export const CURVES_FILE = 'curves.svg';
/** Reads a run folder's metrics.jsonl (and summary.json, when the run has finished). */
export function readRun(dir: string): RunCurves {
  const evaluations = readMetrics(dir);
  const summary = readSummary(dir);
  return {
    label: basename(resolve(dir)),
    evaluations,
    ...(summary?.model !== undefined ? { model: summary.model } : {}),
    ...(summary?.params !== undefined ? { params: summary.params } : {}),
  };
}

/** Renders runs' curves to an SVG document. */
export function renderCurves(runs: readonly RunCurves[], title?: string): Promise<string> {
  return renderChart(curvesChart(runs, title));
}

/** A vega-lite chart as an SVG document, rendered in Node (no browser, no canvas). */
export async function renderChart(chart: TopLevelSpec): Promise<string> {
  const vega = compile(chart).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
  } finally {
    view.finalize();
  }
}
