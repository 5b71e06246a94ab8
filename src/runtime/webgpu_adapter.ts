/**
 * WebGPU in Node: the npm package `webgpu` (Google's Dawn) provides
 * `navigator.gpu`, which reaches the GPU through its Vulkan driver. This file
 * loads Dawn, picks the high-performance adapter, tells hardware from
 * software (CPU) drivers such as Mesa's lavapipe, and registers
 * @tensorflow/tfjs-backend-webgpu on a device from that adapter.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { describeInfo, type AdapterInfo, type WebgpuAdapter } from './webgpu_backend.js';

export { registerWebgpuBackend, type WebgpuAdapter } from './webgpu_backend.js';

type Missing = { readonly ok: false; readonly missing: 'package' | 'adapter'; readonly reason: string };

export type AdapterResult = { readonly ok: true; readonly adapter: WebgpuAdapter } | Missing;

/** What a probe in a child process found: the adapter's description, without an adapter object. */
export type AdapterProbe = { readonly ok: true; readonly description: string; readonly software: boolean } | Missing;

/** What to install when Dawn finds no adapter; GC740 and the skip line quote it. */
export const NO_ADAPTER_HELP =
  'install a Vulkan driver: on an NVIDIA GPU host the driver\'s Vulkan ICD (libEGL_nvidia.so.0 or nvidia_icd.json, plus libvulkan1); ' +
  'on a machine without a GPU Mesa lavapipe 24 or newer (bash scripts/install-lavapipe.sh)';

let pending: Promise<AdapterResult> | undefined;

/** Loads Dawn and asks it for the high-performance adapter, once per process. */
export function requestWebgpuAdapter(): Promise<AdapterResult> {
  pending ??= loadAdapter();
  return pending;
}

const NO_ADAPTER = 'Dawn found no WebGPU adapter (no Vulkan driver answered)';

function packageMissing(error: unknown): Missing {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { ok: false, missing: 'package', reason: `the npm package 'webgpu' (Dawn) did not load: ${message}` };
}

/** In the child: load Dawn, ask for the adapter, print its info as JSON, exit (Dawn's threads would keep it alive). */
const PROBE_SCRIPT = `
const dawn = await import(process.argv[1]);
const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter?.info;
process.stdout.write(JSON.stringify(info ? { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: info.isFallbackAdapter } : null));
process.exit(0);
`;

/**
 * Asks Dawn for the adapter in a child process. Dawn writes its own warnings
 * (a Vulkan loader it cannot open, limits it lowers) straight to the process's
 * stderr, where graphc cannot catch them; in a child they are caught, and
 * shown only with --verbose (GRAPHC_VERBOSE=1). `auto` probes this way, so
 * that a machine without a usable GPU never loads Dawn in graphc's process.
 */
export async function probeWebgpuAdapter(): Promise<AdapterProbe> {
  let dawnUrl: string;
  try {
    dawnUrl = resolvePackage('webgpu');
  } catch (error) {
    return packageMissing(error);
  }
  const child = await new Promise<{ stdout: string; stderr: string; failure?: string }>((done) => {
    execFile(process.execPath, ['--input-type=module', '-e', PROBE_SCRIPT, dawnUrl], { timeout: 30_000, execArgv: [] } as object, (error, stdout, stderr) => {
      const failure = error ? (error.killed ? 'timed out' : error.signal ? `died of ${error.signal}` : `exited with code ${String(error.code)}`) : undefined;
      done({ stdout: String(stdout), stderr: String(stderr), ...(failure ? { failure } : {}) });
    });
  });
  if (process.env['GRAPHC_VERBOSE'] === '1' && child.stderr) process.stderr.write(child.stderr);
  if (child.failure) return { ok: false, missing: 'adapter', reason: `the WebGPU probe ${child.failure}${child.stderr ? ` (${firstLine(child.stderr)})` : ''}` };
  let info: AdapterInfo | null;
  try {
    info = JSON.parse(child.stdout) as AdapterInfo | null;
  } catch {
    return { ok: false, missing: 'adapter', reason: `the WebGPU probe printed no adapter (${firstLine(child.stderr || child.stdout) || 'nothing'})` };
  }
  if (info === null) return { ok: false, missing: 'adapter', reason: NO_ADAPTER };
  return { ok: true, ...describeInfo(info) };
}

/** The package's entry as a URL, resolved as graphc's own imports are (ESM resolution, loader hooks included). */
function resolvePackage(name: string): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  return resolve ? resolve(name) : `file://${createRequire(import.meta.url).resolve(name)}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.trim();
}

async function loadAdapter(): Promise<AdapterResult> {
  let dawn: { create(flags: string[]): GPU; globals: object };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (error) {
    return packageMissing(error);
  }
  // tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode, … as globals, as in a browser.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([]);
  const navigator = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (navigator.gpu === undefined) Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return { ok: false, missing: 'adapter', reason: NO_ADAPTER };
  return { ok: true, adapter: { adapter, ...describeInfo(adapter.info) } };
}
