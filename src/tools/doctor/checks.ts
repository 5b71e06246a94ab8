/**
 * What `graphc doctor` looks at: each backend, tried in a child process of
 * its own (a backend's registration and native libraries must not affect the
 * next), and the system facts that decide why a GPU backend does not load.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphcError } from '../../common/diagnostics/diagnostic.js';
import { BACKENDS, initBackend, type BackendRequest } from '../../runtime/backends.js';
import { tf } from '../../runtime/tf.js';

export interface ProbeResult {
  readonly backend: BackendRequest;
  readonly ok: boolean;
  /** The backend `auto` picked, for the `auto` probe. */
  readonly chosen?: string;
  readonly device?: string;
  /** wasm with graphc's GEMM: the planner's plan (BackendInfo.gemmPlan). */
  readonly gemmPlan?: string;
  readonly reason?: string;
  readonly seconds: number;
}

/** How to get a backend that does not load. */
export const REMEDIES: Readonly<Record<Exclude<BackendRequest, 'auto'>, string>> = {
  tensorflow:
    'npm install @tensorflow/tfjs-node-gpu (GPU: needs CUDA 11.2 and cuDNN 8.1) or @tensorflow/tfjs-node (CPU), where storage.googleapis.com is reachable: their install downloads libtensorflow',
  webgpu: 'needs a Vulkan driver: the GPU vendor\'s, or Mesa\'s software lavapipe for testing (apt-get install mesa-vulkan-drivers)',
  wasm: 'reinstall the dependencies (npm ci): @tensorflow/tfjs-backend-wasm ships its .wasm files',
  cpu: 'reinstall the dependencies (npm ci)',
};

// The probe sits beside this module: TypeScript in src/, run through tsx as
// bin/graphc.js runs the CLI, or JavaScript in the built dist/.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const PROBE = fileURLToPath(new URL(FROM_SOURCE ? './probe-main.ts' : './probe-main.js', import.meta.url));
const PROBE_NODE_ARGS = FROM_SOURCE ? ['--import', import.meta.resolve('tsx/esm')] : [];
const PROBE_TIMEOUT_MS = 120_000;

/** Runs in the child: initialises one backend, computes 1 + 2 on it, and prints the outcome as JSON. */
export async function probeHere(backend: BackendRequest): Promise<ProbeResult> {
  const start = performance.now();
  const seconds = (): number => (performance.now() - start) / 1000;
  try {
    const info = await initBackend(backend);
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    if (sum !== 3) return { backend, ok: false, reason: `loaded, but computed 1 + 2 = ${sum}`, seconds: seconds() };
    return { backend, ok: true, chosen: info.name, device: info.device, ...(info.gemmPlan !== undefined ? { gemmPlan: info.gemmPlan } : {}), seconds: seconds() };
  } catch (error) {
    const reason =
      error instanceof GraphcError ? String(error.diagnostics[0]?.params['reason'] ?? error.diagnostics[0]?.message) : error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { backend, ok: false, reason, seconds: seconds() };
  }
}

/** Tries one backend in a fresh process (probe-main.ts). */
export function probeInChild(backend: BackendRequest): Promise<ProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...PROBE_NODE_ARGS, PROBE, backend], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as ProbeResult);
      } catch {
        const why = signal === 'SIGKILL' ? `did not answer within ${PROBE_TIMEOUT_MS / 1000} s` : `the probe process exited with ${signal ?? `code ${code}`}`;
        const detail = stderr.trim().split('\n').filter(Boolean).at(-1);
        resolve({ backend, ok: false, reason: detail ? `${why}: ${detail}` : why, seconds });
      }
    });
  });
}

export function probeAll(): Promise<ProbeResult[]> {
  return Promise.all(BACKENDS.map((b) => probeInChild(b)));
}

export interface SystemFacts {
  readonly platform: string;
  readonly nvidiaDriver?: string;
  /** CUDA 11.2 / cuDNN 8.1 libraries that tfjs-node-gpu's libtensorflow links against: name → folder, or absent. */
  readonly cudaLibraries: Readonly<Record<string, string | null>>;
  /** Vulkan driver manifests (ICD files) found. */
  readonly vulkanDrivers: readonly string[];
}

const CUDA_LIBRARIES = ['libcudart.so.11.0', 'libcudnn.so.8'];
const LIBRARY_DIRS = ['/usr/local/cuda/lib64', '/usr/local/cuda-11.2/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'];
const VULKAN_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

export function systemFacts(env: NodeJS.ProcessEnv = process.env): SystemFacts {
  let nvidiaDriver: string | undefined;
  try {
    nvidiaDriver = readFileSync('/proc/driver/nvidia/version', 'utf8').split('\n')[0]!.trim();
  } catch {
    nvidiaDriver = undefined;
  }
  const dirs = [...(env['LD_LIBRARY_PATH'] ?? '').split(delimiter).filter(Boolean), ...LIBRARY_DIRS];
  const cudaLibraries = Object.fromEntries(CUDA_LIBRARIES.map((lib) => [lib, dirs.find((d) => existsSync(join(d, lib))) ?? null]));
  const fromEnv = (env['VK_ICD_FILENAMES'] ?? env['VK_DRIVER_FILES'] ?? '').split(delimiter).filter(Boolean);
  const vulkanDrivers = [
    ...fromEnv,
    ...VULKAN_ICD_DIRS.flatMap((dir) => {
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
      } catch {
        return [];
      }
    }),
  ];
  return { platform: `${process.platform} ${process.arch}`, ...(nvidiaDriver ? { nvidiaDriver } : {}), cudaLibraries, vulkanDrivers };
}
