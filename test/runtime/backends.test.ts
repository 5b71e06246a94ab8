import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { AUTO_ORDER, autoChoice, initBackend, type BackendInfo, type BackendName, type BackendProbe } from '../../src/runtime/backends.js';
import { requestWebgpuAdapter } from '../../src/runtime/webgpu_adapter.js';
import { isInstalled } from '../helpers/packages.js';

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

async function outcome(request: Parameters<typeof initBackend>[0]): Promise<BackendInfo | GraphcError> {
  try {
    return await initBackend(request);
  } catch (error) {
    if (error instanceof GraphcError) return error;
    throw error;
  }
}

/** One backend asked for by name, as a probe. */
async function probe(name: BackendName): Promise<BackendProbe> {
  const result = await outcome(name);
  if (result instanceof GraphcError) {
    const diagnostic = result.diagnostics[0]!;
    return { ok: false, reason: String(diagnostic.params['reason'] ?? diagnostic.message) };
  }
  return { ok: true, device: result.device };
}

/** webgpu by name, and whether Dawn's adapter is a software driver. */
async function probeWebgpu(): Promise<BackendProbe> {
  const found = await requestWebgpuAdapter();
  if (!found.ok) return { ok: false, reason: found.reason };
  const started = await probe('webgpu');
  return started.ok ? { ...started, software: found.adapter.software } : started;
}

const skippedNames = (skipped: readonly string[]): string[] => skipped.map((line) => line.slice(0, line.indexOf(': ')));

describe('the rule auto follows', () => {
  const up = (device: string): BackendProbe => ({ ok: true, device });
  const down = (reason: string): BackendProbe => ({ ok: false, reason });
  const webgpuStates = {
    hardware: { ok: true, device: 'nvidia-h200 (nvidia, Vulkan), WebGPU via Dawn', software: false },
    software: { ok: true, device: 'llvmpipe (mesa, software Vulkan driver on the CPU), WebGPU via Dawn', software: true },
    missing: down('Dawn found no WebGPU adapter'),
  } as const satisfies Record<string, BackendProbe>;

  it('tries tensorflow, webgpu, wasm, cpu in that order', () => {
    expect(AUTO_ORDER).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
  });

  // Every combination of what the four probes can find.
  for (const tensorflow of [true, false]) {
    for (const webgpu of ['hardware', 'software', 'missing'] as const) {
      for (const wasm of [true, false]) {
        for (const cpu of [true, false]) {
          const expected: BackendName | undefined = tensorflow ? 'tensorflow' : webgpu === 'hardware' ? 'webgpu' : wasm ? 'wasm' : cpu ? 'cpu' : undefined;
          it(`tensorflow ${tensorflow ? 'loads' : 'fails'}, webgpu ${webgpu}, wasm ${wasm ? 'loads' : 'fails'}, cpu ${cpu ? 'loads' : 'fails'}: ${expected ?? 'none (GC701)'}`, () => {
            const choice = autoChoice({
              tensorflow: tensorflow ? up('libtensorflow (CPU build) via @tensorflow/tfjs-node') : down('not installed'),
              webgpu: webgpuStates[webgpu],
              wasm: wasm ? up('CPU, WebAssembly SIMD, 1 thread') : down('the WebAssembly backend failed to initialise'),
              cpu: cpu ? up('CPU, plain JavaScript') : down('the cpu backend failed to initialise'),
            });
            expect(choice.name).toBe(expected);
            // Everything tried before the choice is skipped, with its reason; nothing after it is.
            const before = expected === undefined ? AUTO_ORDER : AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(expected));
            expect(skippedNames(choice.skipped)).toEqual(before);
            for (const line of choice.skipped) expect(line).toMatch(/^\w+: \S/);
          });
        }
      }
    }
  }

  it('says why it skipped each backend, and that a software adapter is slower than wasm', () => {
    const choice = autoChoice({ tensorflow: down('@tensorflow/tfjs-node-gpu: not installed'), webgpu: webgpuStates.software, wasm: up('CPU, WebAssembly SIMD, 1 thread') });
    expect(choice).toEqual({
      name: 'wasm',
      skipped: [
        'tensorflow: @tensorflow/tfjs-node-gpu: not installed',
        'webgpu: skipped adapter llvmpipe (mesa, software Vulkan driver on the CPU), WebGPU via Dawn: a software driver is slower than wasm (--backend webgpu uses it anyway)',
      ],
    });
  });

  it('needs no probe of the backends after its choice, and every probe before it', () => {
    expect(autoChoice({ tensorflow: up('libtensorflow') }).name).toBe('tensorflow');
    expect(() => autoChoice({ tensorflow: down('not installed'), wasm: up('wasm') })).toThrow(/no probe of webgpu/);
  });
});

describe('backend selection on this machine', () => {
  it('auto picks what the rule picks from this machine\'s probes, and reports their reasons', async () => {
    const info = await initBackend('auto');
    const probes: Record<BackendName, BackendProbe> = { tensorflow: await probe('tensorflow'), webgpu: await probeWebgpu(), wasm: await probe('wasm'), cpu: await probe('cpu') };
    const rule = autoChoice(probes);
    expect(info.name, JSON.stringify(probes)).toBe(rule.name);
    expect(info.device).toBe((probes[info.name] as { device?: string }).device);
    expect(skippedNames(info.skipped)).toEqual(skippedNames(rule.skipped));
    // A skipped native backend is skipped for the reason it gives when asked for by name.
    expect(info.skipped.find((line) => line.startsWith('tensorflow: '))).toBe(probes.tensorflow.ok ? undefined : `tensorflow: ${probes.tensorflow.reason}`);
  });

  it('tensorflow asked for by name starts, or is GC701 with each native package\'s reason', async () => {
    const installed = NATIVE_PACKAGES.filter(isInstalled);
    const result = await outcome('tensorflow');
    if (installed.length === 0) {
      // Neither package is installed (their install downloads libtensorflow): GC701 must say so for both.
      expect(result).toBeInstanceOf(GraphcError);
      const diagnostic = (result as GraphcError).diagnostics[0]!;
      expect(diagnostic.code).toBe('GC701');
      expect(diagnostic.message).toMatch(
        /^backend 'tensorflow' is not available: @tensorflow\/tfjs-node-gpu: not installed \(.*storage\.googleapis\.com.*\); @tensorflow\/tfjs-node: not installed \(/,
      );
    } else if (result instanceof GraphcError) {
      // Installed but not starting (a missing native binding, a tfjs version mismatch): each installed package's own reason.
      const diagnostic = result.diagnostics[0]!;
      expect(diagnostic.code).toBe('GC701');
      for (const pkg of installed) expect(diagnostic.message).toMatch(new RegExp(`${pkg}: (?!not installed)\\S`));
    } else {
      expect(result.name).toBe('tensorflow');
      expect(result.device).toMatch(/^libtensorflow .* via @tensorflow\/tfjs-node(-gpu)?$/);
    }
  });

  it('cpu is always there', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
  });
});
