/** Ctrl-C during training: a checkpoint, exit 130, a line saying how to resume; resuming finishes the run. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('interrupting a run', () => {
  it('SIGINT stops after the current step, saves a checkpoint and exits 130; --resume completes the schedule', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'graphc-sigint-')), 'run');
    const args = ['bin/graphc.js', 'run', 'graphs/bigru.yaml', '--backend', 'wasm', '--steps', '400', '--eval-every', '100', '--eval-batches', '1', '--set', 'hidden_size=8', '--set', 'layer_num=1', '--out', out];
    const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let interruptedAt: number | undefined;
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Interrupt once training is under way: on its first progress line (stderr is not a
      // terminal, so progress comes as lines, the first at the first step).
      const progress = /^graphc: step (\d+)\/400\b/m.exec(stderr);
      if (interruptedAt === undefined && progress) {
        interruptedAt = Number(progress[1]);
        child.kill('SIGINT');
      }
    });
    child.stdout.resume();
    const code = await exit;
    expect(interruptedAt, `no progress line before the run ended:\n${stderr}`).toBeDefined();
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('graphc: SIGINT: stopping after the current step');
    const message = /graphc: interrupted at step (\d+); checkpoint saved in (.+); resume with: graphc run --resume (.+)\n/.exec(stderr);
    expect(message, stderr).not.toBeNull();
    // It stopped after the step under way when the signal came, not before the step it had reported.
    expect(Number(message![1])).toBeGreaterThanOrEqual(interruptedAt!);
    expect(Number(message![1])).toBeLessThan(400);
    expect(existsSync(join(out, 'checkpoint.gck'))).toBe(true);

    const resumed = spawnSync(process.execPath, ['bin/graphc.js', 'run', '--resume', out, '--backend', 'wasm'], { encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`graphc: resumed bigru at step ${message![1]}`);
    const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps).toEqual([100, 200, 300, 400]);
  });
});
