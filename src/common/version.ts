/**
 * graphc's version: package.json's, the one truth (the CLI's --version,
 * summary.json, checkpoints and exports read it). It is the nearest
 * package.json named graphc above this module: the project's from src/ or
 * dist/, or in a bundle (scripts/gpu-pack.sh) the one beside it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function graphcVersion(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === 'graphc' && manifest.version !== undefined) return manifest.version;
    if (dir === dirname(dir)) throw new Error(`no package.json of graphc in ${start} or above`);
  }
}

/** A package.json's name and version, or undefined when there is none to read. */
export function readManifest(path: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}
