/**
 * A newcomer's first `graphc run` prints graphc's own lines, not Dawn's: Dawn
 * (the WebGPU library) writes its native warnings straight to stderr, so
 * `auto` asks it for an adapter in a child process and shows what Dawn said
 * only with --verbose. The machine without Vulkan is made here by putting an
 * unloadable libvulkan.so.1 first on the library path.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RUN = ['run', 'graphs/bigru.yaml', '--steps', '1', '--eval-every', '1', '--eval-batches', '1', '--set', 'hidden_size=8', '--set', 'layer_num=1', '--no-out', '--no-progress', '--workers', '1'];
const DAWN_TEXT = /Warning:|BackendVk|Couldn't load Vulkan|artificially reduced/;

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/graphc.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stderr: r.stderr };
}

function withoutVulkan(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-no-vulkan-'));
  writeFileSync(join(dir, 'libvulkan.so.1'), '');
  return { LD_LIBRARY_PATH: [dir, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':') };
}

describe('the first run', () => {
  it('on a machine without Vulkan: graphc says why it skipped webgpu, and Dawn says nothing', () => {
    const { status, stderr } = run(RUN, withoutVulkan());
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/graphc: skipped backend webgpu: Dawn found no WebGPU adapter/);
    expect(stderr).not.toMatch(DAWN_TEXT);
  });

  it('with --verbose, Dawn\'s own words are shown too', () => {
    const { status, stderr } = run([...RUN, '--verbose'], withoutVulkan());
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/Couldn't load Vulkan/);
  });

  it('on this machine, whatever its Vulkan driver: no native Dawn text when auto picks another backend than webgpu', () => {
    const { status, stderr } = run(RUN);
    expect(status, stderr).toBe(0);
    const chosen = /graphc: backend (\w+) on /.exec(stderr)?.[1];
    expect(chosen).toBeDefined();
    // On a GPU, webgpu runs in this process and Dawn's start-up lines are its own matter.
    expect(chosen === 'webgpu' || !DAWN_TEXT.test(stderr), stderr).toBe(true);
  });
});
