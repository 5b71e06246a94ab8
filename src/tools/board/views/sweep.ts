/**
 * A sweep: its table (graphc sweep report's, with each trial's rung and status
 * under a pruner), the parallel-coordinates chart, every trial's curves and,
 * for a search, the best-so-far curve (steps spent → best metric), live.
 */
import { displayPath } from '../../../common/fs.js';
import { join } from 'node:path';
import { curvesChart } from '../../plot/curves.js';
import { bestSoFarChart, collectRows, paramsChart, rungColumn, sortRows, trialLabel, variedParams } from '../../sweep/report.js';
import { SPEC_FILE, trialFolder } from '../../sweep/folder.js';
import { bestSoFar, readEvents } from '../../sweep/search.js';
import { diagnostic } from '../../../common/diagnostics/diagnostic.js';
import { idOf } from '../paths.js';
import { watchFolders } from '../stream.js';
import { sendWhenChanged } from './shared.js';
import { NotHere, type BoardContext, type BoardView, type ViewRequest } from './view.js';

function sweepData(ctx: BoardContext, request: ViewRequest): unknown {
  const located = request.target!;
  const definition = ctx.index.definition(located.path);
  if (!definition) throw new NotHere(located.id);
  const rows = sortRows(collectRows(definition, located.path), definition.metric.mode);
  const params = variedParams(definition);
  const now = Date.now();
  const rung = rungColumn(definition);
  const sweep = { id: located.id, source: { file: displayPath(join(located.path, SPEC_FILE)), text: definition.spec.text } };
  const table = rows.map((r) => {
    const folder = trialFolder(located.path, r.trial.id);
    const entry = ctx.index.run(located.root, folder, now, sweep);
    return {
      id: idOf(located.root, folder),
      trial: r.trial.id,
      label: trialLabel(definition, r.trial),
      params: Object.fromEntries(params.map((p) => [p, p === 'seed' ? r.trial.seed : r.trial.params[p]])),
      // "running" while it trains (its folder says so), else the sweep's own word, as in its table: pending, done, pruned, failed, interrupted.
      status: entry?.status === 'running' ? 'running' : r.state,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.final !== undefined ? { final: r.final } : {}),
      ...(r.best !== undefined ? { best: r.best } : {}),
      ...(r.steps !== undefined ? { steps: r.steps } : {}),
      // With a pruner: the rung the trial reached (as the table's rung column).
      ...(rung && rung(r.steps) !== '' ? { rung: Number(rung(r.steps)) } : {}),
      ...(entry?.totalSteps !== undefined ? { totalSteps: entry.totalSteps } : {}),
      ...(r.wallSeconds !== undefined ? { wallSeconds: r.wallSeconds } : {}),
      ...(r.backend !== undefined ? { backend: r.backend } : {}),
      ...(r.host !== undefined ? { host: r.host } : {}),
    };
  });
  const evaluated = rows.filter((r) => r.evaluations.length > 0);
  const best = definition.options.search ? bestSoFar(readEvents(located.path), definition.metric.mode) : undefined;
  return {
    id: located.id,
    name: definition.name,
    spec: definition.spec.path,
    metric: definition.metric,
    params,
    rows: table,
    curves: evaluated.length > 0 ? curvesChart(evaluated.map((r) => ({ label: trialLabel(definition, r.trial), evaluations: r.evaluations })), `${definition.name}: training curves`) : null,
    parallel: rows.some((r) => r.final !== undefined) ? paramsChart(definition, rows) : null,
    // A search's best-so-far curve: the steps the sweep had spent when each new best came.
    ...(best ? { bestSoFar: best, bestChart: best.length > 0 ? bestSoFarChart(definition, best) : null } : {}),
    ...(rung ? { pruner: definition.options.pruner!.name } : {}),
  };
}

export const sweepView: BoardView = {
  name: 'sweep',
  summary: "a sweep's table and parallel coordinates of params against its metric, and its trials' curves, live",
  takesTarget: true,
  data: sweepData,
  stream(ctx, request, events) {
    const sendSweep = sendWhenChanged(events, 'sweep', () => sweepData(ctx, request));
    const check = (): void => {
      try {
        sendSweep();
      } catch (error) {
        if (!(error instanceof NotHere)) throw error;
        const d = diagnostic('GC785', { path: request.target!.id });
        events.send('gone', { message: `${d.code}: ${d.message}` });
        events.close();
      }
    };
    check();
    const trials = join(request.target!.path, 'trials');
    events.onClose(watchFolders([request.target!.path, trials], check, { pollMs: ctx.pollMs }));
  },
};
