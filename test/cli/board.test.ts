/** `graphc board` as users start it: the folders it serves, the address it prints, its token off loopback, Ctrl-C. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMetrics } from '../../src/runtime/run_folder.js';
import { graphc } from '../helpers/cli.js';

/** Starts `graphc board ARGS`, waits for the address it prints; returns it and a stop() that sends SIGINT and gives the exit code. */
async function startBoard(...args: string[]): Promise<{ url: string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['bin/graphc.js', 'board', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // No clock of its own: it waits for the line or the exit (the test's timeout bounds a hang), however loaded the machine.
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const m = /at (http:\/\/\S+)/.exec(stderr);
      if (m && stderr.includes('Ctrl-C stops it')) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`graphc board exited: ${stderr}`)));
  });
  return { url, stderr: () => stderr, stop: () => (child.kill('SIGINT'), exited) };
}

describe('graphc board', () => {
  it('serves the folders it is given at the address it prints, and stops on Ctrl-C', async () => {
    const root = mkdtempSync(join(tmpdir(), 'graphc-board-cli-'));
    writeMetrics(join(root, 'a'), [{ step: 1, train: { cost: 1 }, test: { cost: 1 }, elapsed: 1 }]);
    const board = await startBoard(root, '--port', '0');
    try {
      expect(board.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const listing = (await (await fetch(`${board.url}api/runs`)).json()) as { runs: { name: string }[] };
      expect(listing.runs.map((r) => r.name)).toEqual(['a']);
    } finally {
      expect(await board.stop()).toBe(0);
    }
  });

  it('generates a token on a non-loopback address and prints the address that carries it', async () => {
    const board = await startBoard(mkdtempSync(join(tmpdir(), 'graphc-board-cli-')), '--host', '0.0.0.0', '--port', '0');
    try {
      const m = /^http:\/\/[^/]+:(\d+)\/\?token=([\w-]{32})$/.exec(board.url);
      expect(m, board.url).not.toBeNull();
      expect(board.stderr()).toContain('every request needs the token');
      expect((await fetch(`http://127.0.0.1:${m![1]}/api/runs`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${m![1]}/api/runs?token=${m![2]}`)).status).toBe(200);
    } finally {
      await board.stop();
    }
  });

  it('GC780: a folder that is not there', () => {
    const r = graphc('board', 'no/such/folder');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('GC780');
    expect(r.stderr).toContain('no/such/folder is not a folder');
  });
});
