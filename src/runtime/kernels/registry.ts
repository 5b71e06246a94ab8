/**
 * Registers graphc's kernels for a backend, replacing tfjs's own where one
 * exists. The replaced (stock) kernels are remembered so that tests can run
 * the same op through both and compare.
 */
import { tf } from '../tf.js';

const stock = new Map<string, tf.KernelConfig | null>();

const key = (kernelName: string, backendName: string): string => `${backendName}/${kernelName}`;

/** Registers each config, replacing any kernel of the same name and backend; registering again is a no-op. */
export function registerKernels(configs: readonly tf.KernelConfig[]): void {
  for (const config of configs) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    const k = key(config.kernelName, config.backendName);
    if (!stock.has(k)) stock.set(k, current ?? null);
    if (current) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}

/** Registers each config where its backend has no kernel of that name (a kernel the stock backend lacks). */
export function registerMissingKernels(configs: readonly tf.KernelConfig[]): void {
  for (const config of configs) if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
}

/** The kernel tfjs had registered before graphc replaced it (undefined if graphc replaced none). */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stock.get(key(kernelName, backendName)) ?? undefined;
}

const setUp = new WeakMap<object, Set<tf.KernelConfig>>();

/**
 * Runs the stock kernel a graphc kernel replaced, for the inputs graphc does
 * not handle itself. A replaced kernel is no longer set up when its backend
 * initialises, so its setupFunc is run here, once per backend instance.
 */
export function callStock(kernelName: string, backendName: string, args: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc> {
  const config = stockKernel(kernelName, backendName);
  if (!config) throw new Error(`no stock ${kernelName} kernel for ${backendName}`);
  let done = setUp.get(args.backend);
  if (!done) setUp.set(args.backend, (done = new Set()));
  if (!done.has(config)) {
    config.setupFunc?.(args.backend);
    done.add(config);
  }
  return config.kernelFunc(args);
}
