/** The diagnostics of graphc board, the live page. */
import { entry } from './entry.js';

export type BoardRefusal = 'dot_segment' | 'encoded_separator' | 'bad_encoding' | 'symlink_out' | 'not_a_file';

function describeBoardRefusal(reason: BoardRefusal): string {
  switch (reason) {
    case 'dot_segment':
      return "'.' and '..' are not allowed in paths; the board serves only files under its folders";
    case 'encoded_separator':
      return 'a path segment holds an encoded slash or backslash; the board serves only files under its folders';
    case 'bad_encoding':
      return 'the path is not valid percent-encoded UTF-8';
    case 'symlink_out':
      return 'it is a symbolic link to a place outside the board\'s folders';
    case 'not_a_file':
      return 'it is not a regular file';
  }
}

export const boardDiagnostics = {
  // GC78x: graphc board (the live page)
  GC780: entry<{ folder: string }>('error', 'board_folder_missing', (p) =>
    `${p.folder} is not a folder; give folders that hold run folders (\`graphc run\` writes runs/) or sweeps (sweeps/)`),
  GC781: entry<{ host: string; first: number; last: number; reason: string }>('error', 'board_no_port', (p) =>
    p.first === p.last
      ? `cannot listen on ${p.host}:${p.first} (${p.reason}); choose another --port or --host`
      : `cannot listen on ${p.host}, ports ${p.first} to ${p.last} (${p.reason}); choose another --port or --host`),
  GC782: entry<{ length: number; min: number }>('error', 'board_weak_token', (p) =>
    `--token is ${p.length} characters long; give at least ${p.min}, or leave --token out and graphc generates one`),
  GC783: entry<{ file: string; line: number; bytes: number; limit: number }>('warning', 'metrics_line_too_long', (p) =>
    `${p.file}:${p.line}: skipped a line of ${p.bytes} bytes, longer than any evaluation (the limit is ${p.limit}); the lines after it are read`),
  GC784: entry<{ path: string; reason: BoardRefusal }>('error', 'board_path_refused', (p) => `refused ${p.path}: ${describeBoardRefusal(p.reason)}`),
  GC785: entry<{ path: string }>('error', 'board_not_found', (p) =>
    `${p.path} is not here: no such run, sweep or file under the board's folders (it may have been deleted)`),
  GC786: entry<Record<string, never>>('error', 'board_token_required', () =>
    'this board needs its token: open the address graphc board printed (it ends in ?token=…), or send the header Authorization: Bearer TOKEN'),
  GC787: entry<{ host: string }>('error', 'board_host_refused', (p) =>
    `refused a request for host '${p.host}': a board on a loopback address answers only to localhost names (start it with --host and --token to serve others)`),
  GC788: entry<{ method: string }>('error', 'board_read_only', (p) => `the board is read-only: it answers GET and HEAD, not ${p.method}`),
  GC789: entry<{ path: string; reason: string }>('error', 'board_request_failed', (p) =>
    `${p.path} failed: ${p.reason}; the board goes on (run it with --verbose and report this if it repeats)`),
} as const;
