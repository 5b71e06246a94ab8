/**
 * Choosing and starting a backend in a page, as `graphc run --backend auto`
 * does under Node but with what a browser has: WebGPU when it gives an
 * adapter, else WebAssembly with SIMD. The wasm build is the single-threaded
 * one, as under Node: graphc's GEMM links to its unshared memory, and the
 * same kernels give a page the same numbers as `graphc run`.
 */
import { registerGraphcKernels } from '../kernels/index.js';
import { gemmDescription } from '../kernels/wasm/simd/gemm.js';
import { platform } from '../platform/platform.js';
import { tf } from '../tf.js';
import { describeInfo, registerWebgpuBackend } from '../webgpu_backend.js';

export type PageBackendRequest = 'auto' | 'webgpu' | 'wasm';

export interface PageBackend {
  readonly name: 'webgpu' | 'wasm';
  readonly device: string;
  /** Why WebGPU was passed over, when it was. */
  readonly skipped?: string;
}

interface GpuNavigator {
  readonly gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<GPUAdapter | null> };
}

/** Starts `request` (auto: webgpu with an adapter, else wasm); `wasmBase` is the URL folder of tfjs's .wasm files. */
export async function startPageBackend(request: PageBackendRequest, wasmBase: string): Promise<PageBackend> {
  let skipped: string | undefined;
  if (request !== 'wasm') {
    const gpu = (globalThis as { navigator?: GpuNavigator }).navigator?.gpu;
    const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
    if (adapter) {
      const { description, software } = describeInfo(adapter.info);
      await registerWebgpuBackend({ adapter, description, software });
      registerGraphcKernels('webgpu');
      if (await tf.setBackend('webgpu')) {
        await tf.ready();
        return { name: 'webgpu', device: `${description}, WebGPU in ${platform().engine()}` };
      }
      skipped = `the device of ${description} failed to start`;
    } else {
      skipped = gpu ? 'the browser gives no WebGPU adapter' : 'this browser has no WebGPU';
    }
    if (request === 'webgpu') throw new Error(`WebGPU: ${skipped}`);
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBase);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerGraphcKernels('wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend failed to start');
  await tf.ready();
  return { name: 'wasm', device: `${platform().cpuModel()}, WebAssembly SIMD, ${gemmDescription()}, 1 thread`, ...(skipped ? { skipped } : {}) };
}
