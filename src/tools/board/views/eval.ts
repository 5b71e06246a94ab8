/**
 * A run's evaluation report, as `graphc eval` left it in eval.json: a
 * classifier's confusion matrix (and confusion.svg) with per-class precision,
 * recall and F1, or a regression's MAE, RMSE and R². The run page shows it
 * under the curves; null until graphc eval has run on the folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readEvaluation } from '../../eval/run-folder.js';
import { CONFUSION_FILE } from '../../plot/confusion.js';
import { watchFolders } from '../stream.js';
import { runEntry, sendWhenChanged } from './shared.js';
import type { BoardView } from './view.js';

function evaluation(path: string): unknown {
  const record = readEvaluation(path);
  if (!record) return { evaluation: null };
  const chart = record.report.kind === 'classification' && existsSync(join(path, CONFUSION_FILE)) ? CONFUSION_FILE : null;
  return { evaluation: record, chart };
}

export const evalView: BoardView = {
  name: 'eval',
  summary: "a run's evaluation report (graphc eval): the confusion matrix and per-class precision, recall and F1, or MAE, RMSE and R²",
  takesTarget: true,
  data(ctx, { target }) {
    runEntry(ctx, target!);
    return evaluation(target!.path);
  },
  stream(ctx, { target }, events) {
    runEntry(ctx, target!);
    // graphc eval may run while the page is open: the report is sent again when eval.json changes.
    const check = sendWhenChanged(events, 'report', () => evaluation(target!.path));
    check();
    events.onClose(watchFolders([target!.path], check, { pollMs: ctx.pollMs }));
  },
};
