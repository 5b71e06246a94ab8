/** Node's side of the platform interface (platform.ts). */
import { cpus } from 'node:os';
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
};
