import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files whose assertions hold a wall-clock bound (graphc ends within a second of two signals; the
 * board draws an appended line within a second): they run last, one at a time, with no other file
 * beside them, as every file did before.
 */
const TIMED = ['test/cli/signals-phases.test.ts', 'test/browser/board.test.ts'];

export default defineConfig({
  resolve: {
    // Generated modules import the runtime by its package name, as users' code would.
    alias: { 'graphc/runtime': fileURLToPath(new URL('./src/runtime/index.ts', import.meta.url)) },
  },
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // graphc's GEMM planner keeps its plan under the user's cache folder: tests keep theirs in a folder of their own.
    env: { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'graphc-test-cache-')) },
    projects: [
      {
        extends: true,
        test: {
          name: 'side-by-side',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...TIMED],
          // Vitest's default is one file at a time on 2 cores (cores - 1 workers), and most files spend their
          // time waiting on a child process (graphc, python3, redis) that uses one core: two files at once keep
          // both cores busy. Files run side by side as on machines with more cores: their runs go to temporary
          // folders, their servers to free ports on 127.0.0.1, and modules they compile are written whole.
          maxWorkers: Math.max(2, availableParallelism() - 1),
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
