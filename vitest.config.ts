import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
    // Vitest's default is one file at a time on 2 cores (cores - 1 workers), and most files spend their
    // time waiting on a child process (graphc, python3, redis) that uses one core: two files at once keep
    // both cores busy. Files run side by side as on machines with more cores: their runs go to temporary
    // folders, their servers to free ports on 127.0.0.1, and modules they compile are written whole.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // graphc's GEMM planner keeps its plan under the user's cache folder: tests keep theirs in a folder of their own.
    env: { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'graphc-test-cache-')) },
  },
});
