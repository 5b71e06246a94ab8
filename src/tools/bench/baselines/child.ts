/**
 * Baselines in a child process of their own, on tfjs's stock kernels:
 * graphc registers its kernels over tfjs's for the whole process, so a
 * baseline timed beside graphc in one process would run partly on graphc's
 * kernels. The child answers plain-data BaselineRequests (see runner.ts), one
 * at a time, and lives until close().
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { diagnostic, GraphcError } from '../../../common/diagnostics/diagnostic.js';
import type { TimingPhase } from '../timing.js';
import type { BaselineRequest, BaselineResult, BaselineRunner } from './runner.js';

/** What the child sends back. */
export type ChildReply =
  | { readonly type: 'progress'; readonly phase: TimingPhase; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly result: BaselineResult }
  | { readonly type: 'failed'; readonly message: string };

export function childProcessRunner(): BaselineRunner & { close(): void } {
  let child: ChildProcess | undefined;
  const failure = (reason: string): GraphcError => new GraphcError(diagnostic('GC732', { reason }));
  return {
    run: (request: BaselineRequest, onProgress?: (phase: TimingPhase, done: number, total: number) => void) =>
      new Promise<BaselineResult>((resolve, reject) => {
        // The child's own output (tfjs's banner) would interleave with the bench's; failures come back as messages.
        const process = (child ??= fork(fileURLToPath(new URL('../../../../bin/baseline.js', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [] }));
        const settle = (): void => {
          process.off('message', onMessage);
          process.off('exit', onExit);
        };
        const onMessage = (reply: ChildReply): void => {
          if (reply.type === 'progress') return onProgress?.(reply.phase, reply.done, reply.total);
          settle();
          if (reply.type === 'result') resolve(reply.result);
          else reject(failure(reply.message.split('\n')[0]!));
        };
        const onExit = (code: number | null): void => {
          settle();
          child = undefined;
          reject(failure(`its process exited (code ${code})`));
        };
        process.on('message', onMessage);
        process.on('exit', onExit);
        process.send(request);
      }),
    close: () => {
      child?.kill();
      child = undefined;
    },
  };
}
