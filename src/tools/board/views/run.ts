/**
 * A run: its curves (live while it trains), progress, summary.json, the
 * command that reproduces it, the graph of its model and its files.
 */
import { curvesChart } from '../../plot/curves.js';
import { followMetrics, watchFolders } from '../stream.js';
import { folderFiles, readEvaluations, reproduceCommand, runEntry, specSourceOf } from './shared.js';
import { readSummaryRecord } from '../../../runtime/run_folder.js';
import type { BoardView } from './view.js';

export const runView: BoardView = {
  name: 'run',
  summary: "a run's curves as it trains, its progress, summary, graph and the command that reproduces it",
  takesTarget: true,
  data(ctx, { target }) {
    const entry = runEntry(ctx, target!);
    const label = entry.model ?? entry.name;
    const { evaluations, notes } = readEvaluations(target!, entry.folder);
    return {
      entry,
      label,
      evaluations,
      notes,
      chart: curvesChart([{ label, evaluations, ...(entry.model !== undefined ? { model: entry.model } : {}) }]),
      summary: readSummaryRecord(target!.path) ?? null,
      command: reproduceCommand(ctx, target!, entry) ?? null,
      graph: specSourceOf(ctx, target!, entry) !== undefined,
      files: folderFiles(target!),
    };
  },
  stream(ctx, { target }, events) {
    const located = target!;
    const entry = runEntry(ctx, located);
    const label = entry.model ?? entry.name;
    let lastStatus = '';
    const follow = followMetrics(located.path, entry.folder, (event) => {
      if (event.kind === 'gone') {
        events.send('gone', { message: event.message });
        events.close();
      } else if (event.kind === 'note') {
        events.send('note', { message: event.message });
      } else {
        events.send(event.kind, { id: located.id, label, evaluations: event.evaluations });
      }
    });
    const check = (): void => {
      follow();
      if (events.closed) return;
      const now = ctx.index.run(located.root, located.path);
      const text = JSON.stringify(now ?? null);
      if (now && text !== lastStatus) {
        lastStatus = text;
        events.send('status', now);
      }
    };
    check();
    events.onClose(watchFolders([located.path], check, { pollMs: ctx.pollMs }));
  },
};
