/**
 * Backend selection. `auto` prefers the native TensorFlow backend
 * (@tensorflow/tfjs-node-gpu, then @tensorflow/tfjs-node) when it loads, then
 * WebGPU on a hardware adapter, and otherwise the WebAssembly backend; each
 * choice is reported with its reason. The native packages are optional: their
 * install downloads libtensorflow, which not every machine can reach, so they
 * are detected at run time.
 */
import { fail, GraphcError } from '../common/diagnostics/diagnostic.js';
import { registerGraphcKernels } from './kernels/index.js';
import { gemmDescription, gemmPlanDescription } from './kernels/wasm/simd/gemm.js';
import { nodePlatform } from './platform/node.js';
import { platform, usePlatform } from './platform/platform.js';
import { quietTfjs, tf } from './tf.js';
import { NO_ADAPTER_HELP, probeWebgpuAdapter, registerWebgpuBackend, requestWebgpuAdapter } from './webgpu_adapter.js';

// This module starts Node's backends (Dawn, libtensorflow): its importers run under Node.
usePlatform(nodePlatform);

export const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKENDS)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

export interface BackendInfo {
  readonly name: BackendName;
  /** What computes: the processor or GPU, and how. */
  readonly device: string;
  /**
   * wasm with graphc's GEMM: where the GEMM planner's plan is and which
   * variants it chose. Not part of the device (which checkpoints record):
   * every variant computes the same bits.
   */
  readonly gemmPlan?: string;
  /** Why preferred backends were skipped. */
  readonly skipped: readonly string[];
}

type Attempt = { ok: true; device: string; gemmPlan?: string } | { ok: false; reason: string };

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

async function tryTensorflow(): Promise<Attempt> {
  const reasons: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      await import(pkg);
    } catch (error) {
      reasons.push(`${pkg}: ${describeLoadError(error, pkg)}`);
      continue;
    }
    if (!tf.findBackendFactory('tensorflow')) {
      reasons.push(`${pkg} loaded but registered no backend with graphc's copy of @tensorflow/tfjs (versions differ?)`);
      continue;
    }
    if (await tf.setBackend('tensorflow')) {
      return { ok: true, device: `${pkg === NATIVE_PACKAGES[0] ? 'libtensorflow (CUDA build; GPU if CUDA 11.2 + cuDNN 8.1 are present)' : 'libtensorflow (CPU build)'} via ${pkg}` };
    }
    reasons.push(`${pkg} loaded but its backend failed to initialise`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

async function tryWasm(_auto: boolean, stock: boolean): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    registerGraphcKernels('wasm', { stock });
    // The GEMM says which one the products run in (graphc's FMA one, or XNNPACK's and why); stock runs use XNNPACK's.
    const gemm = stock ? "XNNPACK's GEMM" : gemmDescription();
    const plan = stock ? undefined : gemmPlanDescription();
    if (await tf.setBackend('wasm')) return { ok: true, device: `${cpuModel()}, WebAssembly SIMD, ${gemm}, 1 thread`, ...(plan !== undefined ? { gemmPlan: plan } : {}) };
    return { ok: false, reason: 'the WebAssembly backend failed to initialise' };
  } catch (error) {
    // A mistake of the user's (GRAPHC_GEMM_VARIANT naming no variant, GC882) is theirs to fix, not a backend that failed.
    if (error instanceof GraphcError) throw error;
    return { ok: false, reason: describeLoadError(error, '@tensorflow/tfjs-backend-wasm') };
  }
}

async function tryCpu(_auto: boolean, stock: boolean): Promise<Attempt> {
  registerGraphcKernels('cpu', { stock });
  return (await tf.setBackend('cpu')) ? { ok: true, device: `${cpuModel()}, plain JavaScript` } : { ok: false, reason: 'the cpu backend failed to initialise' };
}

/**
 * Asked for by name, webgpu runs on whatever adapter Dawn finds (CI tests run
 * on lavapipe) and its absence is an error; `auto` passes over software
 * adapters, which are slower than wasm, and probes in a child process first,
 * so that Dawn is loaded here (with its native warnings) only for a GPU.
 */
async function tryWebgpu(auto: boolean, stock: boolean): Promise<Attempt> {
  const unavailable = (found: { missing: 'package' | 'adapter'; reason: string }): string =>
    found.missing === 'adapter' ? `${found.reason}; to use a GPU, ${NO_ADAPTER_HELP}` : found.reason;
  if (auto) {
    const probe = await probeWebgpuAdapter();
    if (!probe.ok) return { ok: false, reason: unavailable(probe) };
    if (probe.software) return { ok: false, reason: softwareAdapterSkip(probe.description) };
  }
  const found = await requestWebgpuAdapter();
  if (!found.ok) {
    if (auto) return { ok: false, reason: unavailable(found) };
    return found.missing === 'adapter' ? fail('GC740', { reason: found.reason, help: NO_ADAPTER_HELP }) : fail('GC741', { reason: found.reason });
  }
  const { adapter } = found;
  if (auto && adapter.software) return { ok: false, reason: softwareAdapterSkip(adapter.description) };
  await registerWebgpuBackend(adapter);
  registerGraphcKernels('webgpu', { stock });
  try {
    if (await tf.setBackend('webgpu')) return { ok: true, device: `${adapter.description}, WebGPU via Dawn` };
  } catch (error) {
    return { ok: false, reason: `the device of ${adapter.description} failed to start: ${describeLoadError(error)}` };
  }
  return { ok: false, reason: `the device of ${adapter.description} failed to start` };
}

const ATTEMPTS: Record<BackendName, (auto: boolean, stock: boolean) => Promise<Attempt>> = {
  tensorflow: tryTensorflow,
  webgpu: tryWebgpu,
  wasm: tryWasm,
  cpu: tryCpu,
};

/** The order `auto` tries. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

function softwareAdapterSkip(adapter: string): string {
  return `skipped adapter ${adapter}: a software driver is slower than wasm (--backend webgpu uses it anyway)`;
}

/**
 * What was found about one backend tried by name: it started (`software`: the
 * webgpu adapter is a CPU driver such as lavapipe), or why it did not.
 */
export type BackendProbe = { readonly ok: true; readonly device: string; readonly software?: boolean } | { readonly ok: false; readonly reason: string };

/**
 * The rule `auto` follows, applied to what was found about each backend: the
 * first of AUTO_ORDER that started, passing over webgpu on a software adapter;
 * `skipped` says why each earlier one was passed over (as BackendInfo.skipped),
 * and `name` is undefined when none started (GC701). Backends after the chosen
 * one need not have been probed.
 */
export function autoChoice(probes: Readonly<Partial<Record<BackendName, BackendProbe>>>): { readonly name: BackendName | undefined; readonly skipped: readonly string[] } {
  const skipped: string[] = [];
  for (const name of AUTO_ORDER) {
    const probe = probes[name];
    if (probe === undefined) throw new Error(`autoChoice: no probe of ${name}`);
    if (probe.ok && name === 'webgpu' && probe.software === true) skipped.push(`${name}: ${softwareAdapterSkip(probe.device)}`);
    else if (probe.ok) return { name, skipped };
    else skipped.push(`${name}: ${probe.reason}`);
  }
  return { name: undefined, skipped };
}

/**
 * Starts a backend with graphc's kernels registered for it (each backend's
 * kernels/<backend>/index.ts), or with `stock` only tfjs's own (benchmark baselines;
 * registering is process-wide, so a stock backend needs a process of its own).
 */
export async function initBackend(request: BackendRequest, { stock = false }: { readonly stock?: boolean } = {}): Promise<BackendInfo> {
  // The CLI sets GRAPHC_VERBOSE after this module is loaded: apply it now, before the first tensor.
  quietTfjs();
  const candidates = request === 'auto' ? AUTO_ORDER : [request];
  const skipped: string[] = [];
  for (const name of candidates) {
    if (tf.getBackend() === name && tf.findBackend(name)) {
      const plan = currentPlan.get(name);
      return { name, device: describeCurrent(name), ...(plan !== undefined ? { gemmPlan: plan } : {}), skipped };
    }
    const attempt = await ATTEMPTS[name](request === 'auto', stock);
    if (attempt.ok) {
      await tf.ready();
      current.set(name, attempt.device);
      if (attempt.gemmPlan !== undefined) currentPlan.set(name, attempt.gemmPlan);
      else currentPlan.delete(name);
      return { name, device: attempt.device, ...(attempt.gemmPlan !== undefined ? { gemmPlan: attempt.gemmPlan } : {}), skipped };
    }
    skipped.push(`${name}: ${attempt.reason}`);
  }
  const reason = request === 'auto' ? skipped.join('; ') : skipped.map((s) => s.slice(s.indexOf(': ') + 2)).join('; ');
  return fail('GC701', { backend: request, reason });
}

const current = new Map<BackendName, string>();
const currentPlan = new Map<BackendName, string>();

function describeCurrent(name: BackendName): string {
  return current.get(name) ?? name;
}

function cpuModel(): string {
  return platform().cpuModel();
}

function describeLoadError(error: unknown, pkg?: string): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    const message = error instanceof Error ? error.message : '';
    if (pkg && message.includes(`'${pkg}'`)) {
      const needs = pkg.endsWith('-gpu') ? '; it runs on the GPU with CUDA 11.2 and cuDNN 8.1' : '';
      return `not installed (its install downloads libtensorflow from storage.googleapis.com${needs})`;
    }
    return `its native binding is missing (${firstLine(message)}); reinstall it where storage.googleapis.com is reachable`;
  }
  return firstLine(error instanceof Error ? error.message : String(error));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
