/** Remembers the last compiled module, for `graphc run` without an argument. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../common/fs.js';

const STATE_FILE = join('.graphc', 'last-module.json');

export interface LastModule {
  readonly module: string;
  readonly spec: string;
}

export function rememberModule(module: string, spec: string): void {
  try {
    writeFileAtomic(STATE_FILE, `${JSON.stringify({ module: resolve(module), spec: resolve(spec) }, null, 2)}\n`);
  } catch {
    // Only a convenience: a read-only working directory must not fail the compile.
  }
}

export function lastModule(): LastModule | undefined {
  try {
    const value = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Partial<LastModule>;
    return typeof value.module === 'string' && typeof value.spec === 'string' ? { module: value.module, spec: value.spec } : undefined;
  } catch {
    return undefined;
  }
}
