/**
 * Versions of what a run depends on, for summary.json and `graphc doctor`:
 * graphc, Node, and the TensorFlow.js packages installed beside graphc.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { graphcVersion, readManifest } from '../common/version.js';

/** The TensorFlow.js packages that decide what a run computes with; the optional ones may be absent. */
export const RUNTIME_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-node',
  'webgpu',
] as const;

const require = createRequire(import.meta.url);

/** The version of an installed package, or undefined when it is not installed. */
export function installedVersion(pkg: string): string | undefined {
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    return undefined;
  }
  // Walk up from the entry point: not every package exports its package.json.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === pkg) return manifest.version;
  }
  return undefined;
}

/** graphc, Node and every installed runtime package, by name. */
export function runtimeVersions(): Record<string, string> {
  const versions: Record<string, string> = { graphc: graphcVersion(), node: process.versions.node };
  for (const pkg of RUNTIME_PACKAGES) {
    const version = installedVersion(pkg);
    if (version !== undefined) versions[pkg] = version;
  }
  return versions;
}
