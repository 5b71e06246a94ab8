// The page's views, one file each; the server's side of each is src/tools/board/views/<name>.ts.
// A view: { name, route (a RegExp on the hash path), render(container, { match, query }) → dispose }.
import { compareView } from './compare.js';
import { evalView } from './eval.js';
import { runView } from './run.js';
import { runsView } from './runs.js';
import { sweepView } from './sweep.js';

export const VIEWS = [runsView, runView, compareView, sweepView, evalView];
