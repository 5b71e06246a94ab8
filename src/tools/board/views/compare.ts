/** Runs overlaid: the chart `graphc plot DIR DIR…` draws, live while any of them trains. */
import { curvesChart, labelRuns } from '../../plot/curves.js';
import { followMetrics, watchFolders } from '../stream.js';
import { readEvaluations, runEntry } from './shared.js';
import type { BoardContext, BoardView, ViewRequest } from './view.js';

function compared(ctx: BoardContext, request: ViewRequest): { id: string; label: string; folder: string; path: string }[] {
  const runs = request.others.map((located) => {
    const entry = runEntry(ctx, located);
    return {
      located,
      entry,
      curves: { label: entry.name, evaluations: [], ...(entry.model !== undefined ? { model: entry.model } : {}), ...(entry.params ? { params: entry.params } : {}) },
    };
  });
  const labels = labelRuns(runs.map((r) => r.curves)).map((r) => r.label);
  return runs.map((r, i) => ({ id: r.located.id, label: labels[i]!, folder: r.entry.folder, path: r.located.path }));
}

export const compareView: BoardView = {
  name: 'compare',
  summary: 'ticked runs overlaid in one chart (graphc plot\'s), by what sets them apart',
  takesTarget: false,
  data(ctx, request) {
    const runs = compared(ctx, request);
    const curves = runs.map((r, i) => ({ label: r.label, evaluations: readEvaluations(request.others[i]!, r.folder).evaluations }));
    return {
      runs: runs.map(({ id, label, folder }) => ({ id, label, folder })),
      chart: curvesChart(curves),
      evaluations: curves.map((c) => c.evaluations),
    };
  },
  stream(ctx, request, events) {
    const runs = compared(ctx, request);
    const follows = runs.map((run) =>
      followMetrics(run.path, run.folder, (event) => {
        if (event.kind === 'reset' || event.kind === 'append') events.send(event.kind, { id: run.id, label: run.label, evaluations: event.evaluations });
        else events.send('note', { message: event.message });
      }),
    );
    const check = (): void => follows.forEach((follow) => follow());
    check();
    events.onClose(watchFolders(runs.map((r) => r.path), check, { pollMs: ctx.pollMs }));
  },
};
