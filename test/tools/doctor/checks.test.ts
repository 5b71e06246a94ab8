import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeInChild, systemFacts } from '../../../src/tools/doctor/checks.js';
import { graphc } from '../../helpers/cli.js';

describe('doctor checks', () => {
  it('probes a backend in a child process: cpu loads, computes and names its device', async () => {
    const cpu = await probeInChild('cpu');
    expect(cpu).toMatchObject({ backend: 'cpu', ok: true, chosen: 'cpu' });
    expect(cpu.device).toMatch(/plain JavaScript/);
  });

  it('reports why a backend does not load, from that backend\'s own attempt', async () => {
    const tensorflow = await probeInChild('tensorflow');
    // CI cannot download libtensorflow, so neither native package is installed there.
    if (!tensorflow.ok) expect(tensorflow.reason).toMatch(/@tensorflow\/tfjs-node-gpu: /);
    const auto = await probeInChild('auto');
    expect(auto.ok).toBe(true);
    expect(['tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(auto.chosen);
  });

  it('finds CUDA libraries and Vulkan drivers where the environment points', () => {
    const lib = mkdtempSync(join(tmpdir(), 'graphc-lib-'));
    writeFileSync(join(lib, 'libcudart.so.11.0'), '');
    const icd = join(mkdtempSync(join(tmpdir(), 'graphc-icd-')), 'lvp_icd.json');
    mkdirSync(join(icd, '..'), { recursive: true });
    writeFileSync(icd, '{}');
    const facts = systemFacts({ LD_LIBRARY_PATH: lib, VK_ICD_FILENAMES: icd });
    expect(facts.cudaLibraries['libcudart.so.11.0']).toBe(lib);
    expect(facts.vulkanDrivers).toContain(icd);
  });

  it('graphc doctor reports every backend, the versions and what auto picks', () => {
    const r = graphc('doctor', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { node: string; packages: Record<string, string | null>; backends: { backend: string; ok: boolean }[] };
    expect(report.node).toBe(process.versions.node);
    expect(report.packages['@tensorflow/tfjs']).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.backends.map((b) => b.backend)).toEqual(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(report.backends.find((b) => b.backend === 'cpu')?.ok).toBe(true);
    const text = graphc('doctor');
    expect(text.stdout).toMatch(/^ {2}ok {4}cpu /m);
    expect(text.stdout).toMatch(/--backend auto picks \w+ here\./);
  });
});
