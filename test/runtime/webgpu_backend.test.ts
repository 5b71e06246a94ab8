/**
 * The webgpu backend as users meet it: a clear error naming what to install
 * when Dawn or an adapter is missing, auto passing over software adapters,
 * and a short training run through the fused kernels where an adapter exists.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { initBackend } from '../../src/runtime/backends.js';
import { checkWorkgroupStorage } from '../../src/runtime/kernels/webgpu/program.js';
import { tf } from '../../src/runtime/tf.js';
import { probeWebgpuAdapter, requestWebgpuAdapter } from '../../src/runtime/webgpu_adapter.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { TrainingSession } from '../../src/runtime/session.js';
import { importVariant } from '../helpers/modules.js';
import { webgpuForTests } from './kernels/webgpu/helpers.js';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

function graphc(args: readonly string[], options: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), 'bin/graphc.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const RUN = ['run', 'graphs/bigru.yaml', '--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--set', 'hidden_size=16'];
const gpu = await webgpuForTests();

describe('webgpu backend', () => {
  it('without a Vulkan driver, --backend webgpu is GC740 naming what to install', () => {
    const r = graphc([...RUN, '--backend', 'webgpu'], { env: { VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error GC740: backend 'webgpu' is not available: Dawn found no WebGPU adapter .*lavapipe/);
    // Dawn logs the Vulkan loader's complaint (with a C++ source line); graphc adds no JavaScript stack.
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js|mjs)\b/);
  });

  it('without the npm package webgpu, --backend webgpu is GC741 naming the packages', () => {
    const r = graphc([...RUN, '--backend', 'webgpu'], { nodeArgs: ['--import', './test/fixtures/hide-webgpu.mjs'] });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error GC741: backend 'webgpu' is not available: the npm package 'webgpu' \(Dawn\) did not load: .*npm install webgpu/);
  });

  it.skipIf(!gpu.available)(`auto passes over a software adapter and says so${gpu.titleSuffix}`, async () => {
    const found = await requestWebgpuAdapter();
    if (!found.ok) throw new Error(found.reason);
    const info = await initBackend('auto');
    const webgpu = info.skipped.find((s) => s.startsWith('webgpu: '));
    if (found.adapter.software) {
      expect(info.name).toBe('wasm');
      expect(webgpu).toMatch(/^webgpu: skipped adapter .*software.*--backend webgpu uses it anyway/);
    } else {
      expect(info.name).toBe('webgpu');
    }
  });

  it.skipIf(!gpu.available)(`the child-process probe auto uses describes the adapter this process gets${gpu.titleSuffix}`, async () => {
    const found = await requestWebgpuAdapter();
    if (!found.ok) throw new Error(found.reason);
    expect(await probeWebgpuAdapter()).toEqual({ ok: true, description: found.adapter.description, software: found.adapter.software });
  });

  it.skipIf(!gpu.available)(`a kernel too large for the device's workgroup memory is GC742${gpu.titleSuffix}`, async () => {
    await initBackend('webgpu');
    const backend = tf.backend() as WebGPUBackend;
    let error: unknown;
    try {
      checkWorkgroupStorage(backend, 'GraphcGruSequence', 1 << 20, 524288);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphcError);
    expect((error as GraphcError).diagnostics[0]!.message).toMatch(/^GraphcGruSequence does not fit this WebGPU device: hidden size 524288 needs 4194304 bytes of workgroup memory; the device has \d+/);
    expect((error as GraphcError).diagnostics[0]!.code).toBe('GC742');
  });

  it.skipIf(!gpu.available)(`graphc run --backend webgpu trains the Bi-GRU and prints the reference notebook's lines${gpu.titleSuffix}`, () => {
    const r = graphc([...RUN, '--backend', 'webgpu']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/graphc: backend webgpu on .*WebGPU via Dawn/);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^step 4, train cost=0\.\d{6}, acc=0\.\d{6}; test cost=0\.\d{6}, acc=0\.\d{6}; pass \d+\.\d{3}s$/);
  });

  it.skipIf(!gpu.available)(`training and evaluation steps through the fused kernels leave no tensors or GPU buffers behind${gpu.titleSuffix}`, async () => {
    await initBackend('webgpu');
    const backend = tf.backend() as WebGPUBackend;
    const model = await importVariant('graphs/bigru.yaml', ['hidden_size=8']);
    const data = loadMnist({ random: new RandomStream(1, 'data') });
    const session = new TrainingSession(model, 1);
    const step = async (): Promise<void> => {
      const metrics = session.trainStep(data.train.nextBatch(20));
      await session.readMetricsAsync(metrics);
      metrics.dispose();
      await session.evaluateAsync(data.test, 2, 20);
    };
    await step(); // creates the optimizer's slots
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    await step();
    await step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    session.dispose();
  });
});
