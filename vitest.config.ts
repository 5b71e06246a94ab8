import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Generated modules import the runtime by its package name, as users' code would.
    alias: { 'graphc/runtime': fileURLToPath(new URL('./src/runtime/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // graphc's GEMM planner keeps its plan under the user's cache folder: tests keep theirs in a folder of their own.
    env: { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'graphc-test-cache-')) },
  },
});
