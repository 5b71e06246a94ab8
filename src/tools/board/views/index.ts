/** The board's views, one file each (view.ts has the contract); the page lists the same names in board/views/index.js. */
import { compareView } from './compare.js';
import { evalView } from './eval.js';
import { runView } from './run.js';
import { runsView } from './runs.js';
import { sweepView } from './sweep.js';
import type { BoardView } from './view.js';

export const VIEWS: readonly BoardView[] = [runsView, runView, compareView, sweepView, evalView];
