/**
 * tfjs's webgpu backend on an adapter graphc chose: Dawn's under Node
 * (webgpu_adapter.ts), the browser's own in a page (graphc bundle). It
 * imports no `node:` module.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from './tf.js';

export interface WebgpuAdapter {
  readonly adapter: GPUAdapter;
  /** e.g. "nvidia-h100-80gb-hbm3 (nvidia, Vulkan)" or "llvmpipe: Mesa 25.0.7 … (mesa, software)". */
  readonly description: string;
  /** A driver that runs on the CPU (lavapipe/llvmpipe, SwiftShader): correct, but slower than wasm. */
  readonly software: boolean;
}

const SOFTWARE_DRIVERS = /llvmpipe|lavapipe|swiftshader|softpipe/i;

let registeredFor: GPUAdapter | undefined;

export type AdapterInfo = Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'> & { readonly isFallbackAdapter?: boolean };

export function describeInfo(info: AdapterInfo): { description: string; software: boolean } {
  const name = info.description || info.device || 'unnamed adapter';
  const software = info.isFallbackAdapter === true || info.architecture === 'software' || SOFTWARE_DRIVERS.test(`${info.description} ${info.device}`);
  const detail = [info.vendor, software ? 'software Vulkan driver on the CPU' : info.architecture].filter((s) => s).join(', ');
  return { description: detail ? `${name} (${detail})` : name, software };
}

/**
 * Registers tfjs's webgpu backend on a device of `adapter`, replacing the
 * factory the package registers on import (which would request its own
 * adapter), so that the adapter graphc checked and reported is the one used.
 */
export async function registerWebgpuBackend(found: WebgpuAdapter): Promise<void> {
  if (registeredFor === found.adapter) return;
  const { WebGPUBackend: Backend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  const { adapter } = found;
  registeredFor = adapter;
  tf.registerBackend('webgpu', async (): Promise<WebGPUBackend> => {
    const limits = adapter.limits;
    // The limits and features tfjs-backend-webgpu asks for in a browser.
    const device = await adapter.requestDevice({
      requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        // Beyond the browser's set: tfjs's AddN and Concat bind one buffer per input with no
        // split, so with the default 8 an addN of 8 or more tensors fails to compile (lavapipe allows 16).
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      },
    });
    return new Backend(device, adapter.info);
  });
}
