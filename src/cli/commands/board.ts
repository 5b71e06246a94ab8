import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { DEFAULT_PORT, generateToken, isLoopback, startBoard } from '../../tools/board/server.js';
import { RUNS_DIR } from '../../tools/plot/run-folder.js';
import { SWEEPS_DIR } from '../../tools/sweep/folder.js';
import { nonNegativeInteger } from '../options.js';

interface BoardFlags {
  port: number;
  host: string;
  token?: string;
}

export function registerBoard(program: Command): void {
  program
    .command('board')
    .description('serve a live web page of runs and sweeps: curves as they train, the graph, comparisons, sweep tables (read-only)')
    .argument('[folders...]', `folders holding run folders or sweeps (default: ${RUNS_DIR}/ and ${SWEEPS_DIR}/)`)
    .option('--port <n>', 'the port (the next free one when it is taken; 0: any)', nonNegativeInteger('--port'), DEFAULT_PORT)
    .option('--host <address>', 'the address to listen on; any but a loopback one needs a token', '127.0.0.1')
    .option('--token <token>', 'require this token on every request (generated when --host is not a loopback address)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ graphc board                         # runs/ and sweeps/ at http://127.0.0.1:6006/\n  $ graphc board runs/ docs/runs --port 8080\n  $ graphc board --host 0.0.0.0          # reachable from other machines, with a generated token\n',
    )
    .action(async (given: string[], flags: BoardFlags) => {
      for (const folder of given) {
        let isFolder = false;
        try {
          isFolder = statSync(folder).isDirectory();
        } catch {
          isFolder = false;
        }
        if (!isFolder) fail('GC780', { folder });
      }
      const folders = given.length > 0 ? given : [RUNS_DIR, SWEEPS_DIR];
      const token = flags.token ?? (isLoopback(flags.host) ? undefined : generateToken());
      const board = await startBoard({ folders, host: flags.host, port: flags.port, ...(token !== undefined ? { token } : {}) });
      process.stderr.write(`graphc board: ${folders.map((f) => (f.endsWith('/') ? f : `${f}/`)).join(', ')} at ${board.url}\n`);
      if (token !== undefined && flags.token === undefined) process.stderr.write('graphc board: every request needs the token in that address (or the header Authorization: Bearer TOKEN)\n');
      process.stderr.write('graphc board: Ctrl-C stops it\n');
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void board.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
