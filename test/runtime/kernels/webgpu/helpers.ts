/**
 * WebGPU kernel tests run wherever Dawn finds an adapter: a GPU, or Mesa's
 * lavapipe on the CPU (scripts/install-lavapipe.sh). Elsewhere they are
 * skipped with the reason in their title, unless GRAPHC_REQUIRE_WEBGPU=1
 * (CI sets it after installing lavapipe), which turns a missing adapter
 * into a failure so that the tests cannot silently stop running.
 */
import { initBackend } from '../../../../src/runtime/backends.js';
import { tf } from '../../../../src/runtime/tf.js';
import { requestWebgpuAdapter } from '../../../../src/runtime/webgpu_adapter.js';

export interface WebgpuForTests {
  readonly available: boolean;
  /** Appended to describe titles: empty, or why the tests are skipped. */
  readonly titleSuffix: string;
}

export async function webgpuForTests(): Promise<WebgpuForTests> {
  const found = await requestWebgpuAdapter();
  if (found.ok) return { available: true, titleSuffix: '' };
  if (process.env['GRAPHC_REQUIRE_WEBGPU'] === '1') throw new Error(`GRAPHC_REQUIRE_WEBGPU=1 but there is no WebGPU adapter: ${found.reason}`);
  return { available: false, titleSuffix: ` (skipped: ${found.reason}; install lavapipe with scripts/install-lavapipe.sh)` };
}

/** Runs `fn` with `backend` current (webgpu started through graphc, so its kernels are registered). */
export async function onBackend<T>(backend: 'cpu' | 'webgpu', fn: () => Promise<T>): Promise<T> {
  if (backend === 'webgpu') await initBackend('webgpu');
  else await tf.setBackend(backend);
  return fn();
}
