import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeAll, probeInChild, REMEDIES, systemFacts, type ProbeResult } from '../../../src/tools/doctor/checks.js';
import { AUTO_ORDER, autoChoice, type BackendName, type BackendProbe } from '../../../src/runtime/backends.js';
import { graphc } from '../../helpers/cli.js';
import { isInstalled } from '../../helpers/packages.js';

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
/** How webgpu_adapter.ts describes a CPU driver (lavapipe, SwiftShader) in the device text. */
const SOFTWARE_ADAPTER = /software Vulkan driver on the CPU/;

/** The probes of the backends tried by name, as the input of auto's rule. */
function asProbes(results: readonly ProbeResult[]): Record<BackendName, BackendProbe> {
  const byName = (name: BackendName): BackendProbe => {
    const r = results.find((b) => b.backend === name);
    if (r === undefined) throw new Error(`no probe of ${name}`);
    return r.ok ? { ok: true, device: r.device ?? '', software: name === 'webgpu' && SOFTWARE_ADAPTER.test(r.device ?? '') } : { ok: false, reason: r.reason ?? '' };
  };
  return Object.fromEntries(AUTO_ORDER.map((name) => [name, byName(name)])) as Record<BackendName, BackendProbe>;
}

/** What every probe result must hold: a device when it loaded, a reason when not, and auto's choice by the rule. */
function expectConsistent(results: readonly ProbeResult[]): BackendName | undefined {
  for (const r of results) {
    if (r.ok) {
      expect(r.device, r.backend).toMatch(/\S/);
      expect(r.reason, r.backend).toBeUndefined();
    } else {
      expect(r.reason, r.backend).toMatch(/\S/);
      expect(r.device, r.backend).toBeUndefined();
    }
  }
  const probes = asProbes(results);
  const rule = autoChoice(probes);
  const auto = results.find((b) => b.backend === 'auto')!;
  expect(auto, JSON.stringify(results)).toMatchObject(rule.name === undefined ? { ok: false } : { ok: true, chosen: rule.name, device: (probes[rule.name] as { device: string }).device });
  return rule.name;
}

describe('doctor checks', () => {
  it('probes a backend in a child process: cpu loads, computes and names its device', async () => {
    const cpu = await probeInChild('cpu');
    expect(cpu).toMatchObject({ backend: 'cpu', ok: true, chosen: 'cpu' });
    expect(cpu.device).toMatch(/plain JavaScript/);
  });

  it('reports why a backend does not load, from that backend\'s own attempt', async () => {
    const tensorflow = await probeInChild('tensorflow');
    const installed = NATIVE_PACKAGES.filter(isInstalled);
    if (installed.length === 0) {
      // Neither native package is installed (their install downloads libtensorflow): the probe must say so for both.
      expect(tensorflow.ok).toBe(false);
      expect(tensorflow.reason).toMatch(/^@tensorflow\/tfjs-node-gpu: not installed \(.*\); @tensorflow\/tfjs-node: not installed \(/);
    } else if (tensorflow.ok) {
      expect(tensorflow).toMatchObject({ chosen: 'tensorflow', device: expect.stringMatching(/^libtensorflow .* via @tensorflow\/tfjs-node(-gpu)?$/) });
    } else {
      // Installed but not loading: each installed package's own reason, not "not installed".
      for (const pkg of installed) expect(tensorflow.reason).toMatch(new RegExp(`${pkg}: (?!not installed)\\S`));
    }
  });

  it('auto picks what the selection rule picks from the other probes, each in a process of its own', async () => {
    expectConsistent(await probeAll());
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

  it('graphc doctor reports every backend, the versions, why a backend fails with its fix, and what auto picks', () => {
    const r = graphc('doctor', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { node: string; packages: Record<string, string | null>; backends: ProbeResult[] };
    expect(report.node).toBe(process.versions.node);
    expect(report.packages['@tensorflow/tfjs']).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.backends.map((b) => b.backend)).toEqual(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(report.backends.find((b) => b.backend === 'cpu')?.ok).toBe(true);
    const chosen = expectConsistent(report.backends);
    // wasm with graphc's GEMM names the GEMM planner's plan beside its device, in both reports.
    const wasm = report.backends.find((b) => b.backend === 'wasm');
    if (wasm?.ok && wasm.device?.includes("graphc's relaxed-SIMD FMA GEMM")) expect(wasm.gemmPlan).toMatch(/^variant/);

    // The text report of a second run: the same outcome per backend, each failure with its reason and fix.
    const text = graphc('doctor');
    expect(text.status, text.stderr).toBe(0);
    for (const b of report.backends.filter((b) => b.backend !== 'auto')) {
      const name = b.backend as BackendName;
      const lines = new RegExp(`^ {2}(ok|no) {4}${name.padEnd(10)} {2}(.*)\n(?: {8}${' '.repeat(10)} {2}fix: (.*)\n)?`, 'm').exec(text.stdout);
      expect(lines, `${name} in\n${text.stdout}`).not.toBeNull();
      const [, status, detail, fix] = lines!;
      expect({ status, detail, fix }).toEqual(
        b.ok ? { status: 'ok', detail: expect.stringMatching(/^.+ \(ready in \d+\.\d s\)$/), fix: undefined } : { status: 'no', detail: b.reason, fix: REMEDIES[name] },
      );
      if (b.gemmPlan !== undefined) expect(text.stdout).toMatch(new RegExp(`^ {2}ok {4}${name.padEnd(10)} {2}.*\n {20}GEMM variant`, 'm'));
    }
    expect(text.stdout).toContain(chosen === undefined ? '\nno backend works here: ' : `\n--backend auto picks ${chosen} here.\n`);
  });
});
