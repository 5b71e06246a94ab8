/**
 * graphc's kernels, one list per backend (one file per kernel under
 * kernels/<backend>/), and the gradients of graphc's own kernel names.
 * initBackend registers a backend's list when the backend starts; nothing
 * registers on import.
 */
import { CPU_KERNELS } from './cpu/index.js';
import { dropoutGradConfig } from './dropout.js';
import { registerKernels, registerMissingKernels } from './registry.js';
import { WASM_KERNELS, WASM_MISSING_KERNELS } from './wasm/index.js';
import { WEBGPU_KERNELS } from './webgpu/index.js';
import { tf } from '../tf.js';

export type KernelBackendName = 'cpu' | 'wasm' | 'webgpu';

interface BackendKernels {
  /** graphc's kernels and its faster replacements of stock ones. */
  readonly graphc: readonly tf.KernelConfig[];
  /** Kernels the stock backend lacks. */
  readonly missing: readonly tf.KernelConfig[];
}

export const BACKEND_KERNELS: Readonly<Record<KernelBackendName, BackendKernels>> = {
  cpu: { graphc: CPU_KERNELS, missing: [] },
  wasm: { graphc: WASM_KERNELS, missing: WASM_MISSING_KERNELS },
  webgpu: { graphc: WEBGPU_KERNELS, missing: [] },
};

/** Gradients are per kernel name, not per backend. */
const GRADIENTS: readonly tf.GradConfig[] = [dropoutGradConfig];

/**
 * Registers graphc's kernels for `backend`; with `stock`, only the kernels the
 * stock backend lacks (benchmark baselines time tfjs's own kernels, and
 * registering is process-wide, so a stock run needs a process of its own).
 */
export function registerGraphcKernels(backend: KernelBackendName, { stock = false }: { readonly stock?: boolean } = {}): void {
  const { graphc, missing } = BACKEND_KERNELS[backend];
  registerMissingKernels(missing);
  if (stock) return;
  registerKernels(graphc);
  for (const gradient of GRADIENTS) if (tf.getGradient(gradient.kernelName) === undefined) tf.registerGradient(gradient);
}
