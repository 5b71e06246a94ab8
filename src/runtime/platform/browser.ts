/** A browser page's side of the platform interface (platform.ts): it imports no `node:` module. */
import { NO_FILES, type Platform } from './platform.js';

interface BrowserNavigator {
  readonly userAgent?: string;
  readonly hardwareConcurrency?: number;
}

function navigatorInfo(): BrowserNavigator {
  return ((globalThis as { navigator?: BrowserNavigator }).navigator ?? {}) as BrowserNavigator;
}

export const browserPlatform: Platform = {
  name: 'browser',
  env: () => undefined,
  engine: () => /(Chrome|Firefox|Safari)\/(\d+)/.exec(navigatorInfo().userAgent ?? '')?.slice(1, 3).join(' ') ?? 'a browser',
  setEngineFlag: () => {},
  cpuModel: () => {
    // A page is not told the processor's model, only its core count.
    const cores = navigatorInfo().hardwareConcurrency;
    return cores ? `CPU (${cores} core${cores === 1 ? '' : 's'})` : 'CPU';
  },
  // A message posts a task at once, where setTimeout(0) is clamped to 4 ms after a few nestings.
  yieldToEvents: () =>
    new Promise<void>((resolve) => {
      // The DOM's MessageChannel (the project's types declare Node's, whose ports are event emitters).
      const channel = new MessageChannel() as unknown as { port1: { onmessage: () => void; close(): void }; port2: { postMessage(message: null): void } };
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    }),
  // A page keeps no cache files: the GEMM planner keeps its plan in memory.
  ...NO_FILES,
};
