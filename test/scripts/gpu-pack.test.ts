/**
 * The GPU pack as a user makes and runs it: scripts/gpu-pack.sh builds a
 * folder from this clone alone, and that folder's run.sh runs with nothing
 * but what it holds (its own node, Dawn, Vulkan loader and MNIST) — here on
 * whatever WebGPU adapter this machine has (in CI, Mesa's lavapipe on the
 * CPU), at hidden size 16 and a short schedule. It checks the lines a GPU run
 * prints: the backend, the speed table, the reference notebook's log line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webgpuForTests } from '../runtime/kernels/webgpu/helpers.js';

const gpu = await webgpuForTests();
const packable = process.platform === 'linux' && process.arch === 'x64';
const why = !packable ? ` (skipped: the pack is for x86-64 Linux, this is ${process.platform}/${process.arch})` : gpu.titleSuffix;

const LABELS = [
  'Bi-GRU 2-layer, block_gru (fused kernels)',
  'Bi-GRU 2-layer, gru (composite ops)',
  'Bi-GRU 1-layer, block_gru (fused kernels)',
  'Bi-GRU 1-layer, gru (composite ops)',
];
const ROWS = ['hidden_size=16', 'cell_type=gru hidden_size=16', 'layer_num=1 hidden_size=16', 'layer_num=1 cell_type=gru hidden_size=16'];
const NUMBER = String.raw`\d+(?:\.\d+)?`;

function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

describe.skipIf(!packable || !gpu.available)(`scripts/gpu-pack.sh${why}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphc-gpu-pack-'));
  const pack = join(dir, 'pack');
  const logs = join(dir, 'logs');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("packs a folder that runs on its own: the speed table, then the reference notebook's log line", () => {
    const scratch = (): string[] => (existsSync('.graphc') ? readdirSync('.graphc').filter((f) => f.startsWith('gpu-build.')) : []);
    const before = scratch();
    const packed = run('bash', ['scripts/gpu-pack.sh', '--set', 'hidden_size=16', '--fast', '--out', pack]);
    expect(packed.status, packed.output).toBe(0);
    expect(scratch(), 'the pack removes its scratch folder').toEqual(before);
    for (const file of ['main.mjs', 'run.sh', 'package.json', 'node.xz', 'node_modules/webgpu/dist/linux-x64/dawn.node.xz', 'lib/libvulkan.so.1', 'data/train-images-idx3-ubyte.gz', 'data/t10k-labels-idx1-ubyte.gz']) {
      expect(existsSync(join(pack, file)), file).toBe(true);
    }

    const ran = run('bash', [join(pack, 'run.sh'), '--out', logs, '--bench-steps', '2', '--bench-warmup', '1', '--bench-eval-batches', '1', '--steps', '2', '--eval-every', '2', '--eval-batches', '1']);
    expect(ran.status, ran.output).toBe(0);
    const lines = ran.output.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^backend webgpu on \S/));
    for (const label of LABELS) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^timed ${label.replace(/[()]/g, '\\$&')}: ${NUMBER} ms/step, ${NUMBER} ms/test batch, \\d+ dispatches/step$`)));
    }
    const header = lines.indexOf('| spec | train ms/step, median (p25–p75) | eval ms/batch | s per notebook protocol |');
    expect(header, ran.output).toBeGreaterThanOrEqual(0);
    expect(lines.slice(header + 2, header + 2 + ROWS.length)).toEqual(
      ROWS.map((set) => expect.stringMatching(new RegExp(`^\\| graphs/bigru\\.yaml ${set} \\| ${NUMBER} \\(${NUMBER}–${NUMBER}\\) \\| ${NUMBER} \\| ${NUMBER} \\|$`))),
    );
    expect(lines).toContain('timed: 2 training steps and 1 test batch of 100, after 1 warm-up step');
    expect(lines).toContainEqual(expect.stringMatching(/^step 2, train cost=\d+\.\d{6}, acc=\d+\.\d{6}; test cost=\d+\.\d{6}, acc=\d+\.\d{6}; pass \d+\.\d{3}s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^reference experiment: 2 steps in [\d.]+ s$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^run\\.sh: exit 0 after \\d+ s; logs in ${logs}$`)));

    // What it keeps under --out.
    expect(readFileSync(join(logs, 'console.log'), 'utf8')).toBe(ran.output);
    expect(readFileSync(join(logs, 'gpu-run.log'), 'utf8')).toMatch(/^step 2, train cost=/m);
    expect(readFileSync(join(logs, 'host.txt'), 'utf8')).toMatch(/^vulkan: \S/m);
    const bench = JSON.parse(readFileSync(join(logs, 'bench.json'), 'utf8')) as { label: string; set: string[]; dispatches_per_step: number }[];
    expect(bench.map((r) => [r.label, r.set.join(' ')])).toEqual(LABELS.map((label, i) => [label, ROWS[i]]));
    // The fused kernels' point: fewer dispatches than the composite ops, at either depth.
    expect(bench[0]!.dispatches_per_step).toBeLessThan(bench[1]!.dispatches_per_step);
    expect(bench[2]!.dispatches_per_step).toBeLessThan(bench[3]!.dispatches_per_step);
    const summary = JSON.parse(readFileSync(join(logs, 'reference-experiment', 'summary.json'), 'utf8')) as { steps: number; backend: string; versions: Record<string, string> };
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(summary).toMatchObject({ steps: 2, backend: 'webgpu', versions: { graphc: version } });
  });
});
