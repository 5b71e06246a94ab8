/** Node's side of the platform interface (platform.ts). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Platform } from './platform.js';

export const nodePlatform: Platform = {
  name: 'node',
  env: (name) => process.env[name],
  engine: () => `Node ${process.versions.node}`,
  setEngineFlag: (flag) => setFlagsFromString(flag),
  cpuModel: () => {
    const list = cpus();
    const model = list[0]?.model?.trim() || 'CPU';
    return `${model} (${list.length} core${list.length === 1 ? '' : 's'})`;
  },
  // setImmediate runs after pending I/O callbacks, signal handlers among them.
  yieldToEvents: () => new Promise<void>((resolve) => setImmediate(resolve)),
  cacheDir: () => join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'graphc'),
  readTextFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  },
  writeTextFile: (path, text) => {
    // Written whole to a temporary file and renamed: a reader (another worker) never sees half a file.
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  },
};
