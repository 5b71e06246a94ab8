/** Runs the graphc command line as users do, in a child process. */
import { spawnSync } from 'node:child_process';

export function graphc(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/graphc.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Answer {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the graphc command line once per argument list, all in one child process
 * (test/helpers/graphc-each.mjs: bin/graphc.js's `main`, once per list): each list's exit
 * code, stdout and stderr. For many short commands, where starting graphc is most of the time.
 */
export function graphcEach(lists: readonly (readonly string[])[]): Answer[] {
  const r = spawnSync(process.execPath, ['test/helpers/graphc-each.mjs'], { input: JSON.stringify(lists), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`test/helpers/graphc-each.mjs exited with ${String(r.status)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Answer[];
}
