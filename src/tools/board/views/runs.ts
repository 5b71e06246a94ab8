/** The runs list: every run and sweep under the board's folders, newest first; live as runs start, evaluate and end. */
import { watchFolders } from '../stream.js';
import { sendWhenChanged } from './shared.js';
import type { BoardContext, BoardView } from './view.js';

function listing(ctx: BoardContext): unknown {
  const { runs, sweeps } = ctx.index.scan();
  return { folders: ctx.roots.map((r) => r.given), runs, sweeps };
}

export const runsView: BoardView = {
  name: 'runs',
  summary: 'every run and sweep, newest first: spec, changed params, status, progress, last metrics',
  takesTarget: false,
  data: listing,
  stream(ctx, _request, events) {
    const check = sendWhenChanged(events, 'listing', () => listing(ctx));
    check();
    // A scan stats every run's files: looked at half as often as a single run.
    events.onClose(watchFolders(ctx.roots.map((r) => r.real), check, { pollMs: 2 * ctx.pollMs }));
  },
};
