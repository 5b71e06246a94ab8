/**
 * What the runtime needs from the place it runs in, behind one interface so
 * that the generated module, the kernels and a training session are the same
 * code under Node and in a browser page: environment settings, the engine's
 * name and flags, the processor's description, and a way to let other events
 * (signals, a pause button) run between steps. Node's side (node.ts) is
 * installed by the Node-only entry points (backends.ts); a page installs the
 * browser's (browser.ts). Until one is, the neutral one below answers, which
 * reads nothing of either.
 */
export interface Platform {
  /** 'node' or 'browser': which side answers. */
  readonly name: 'node' | 'browser' | 'neutral';
  /** An environment setting (GRAPHC_VERBOSE, GRAPHC_WASM_GEMM); a page has none. */
  env(name: string): string | undefined;
  /** The JavaScript engine, for messages: "Node 22.11.0", "Chrome 131". */
  engine(): string;
  /** Sets a V8 flag where the engine allows it (Node); a browser's are fixed at launch. */
  setEngineFlag(flag: string): void;
  /** The processor, e.g. "AMD EPYC 7B13 (2 cores)". */
  cpuModel(): string;
  /** Resolves after pending events (signal handlers, clicks) have run. */
  yieldToEvents(): Promise<void>;
  /** The folder of small per-machine caches (the GEMM plan), or undefined where there is none (a page). */
  cacheDir(): string | undefined;
  /** A text file's contents; undefined when it does not exist; throws, with the reason, when it cannot be read. */
  readTextFile(path: string): string | undefined;
  /** Writes a text file whole (a temporary file renamed into place, its folder made); throws, with the reason, when it cannot. */
  writeTextFile(path: string, text: string): void;
}

/** The file capabilities of a side that has no files (a page, or no side installed yet). */
export const NO_FILES: Pick<Platform, 'cacheDir' | 'readTextFile' | 'writeTextFile'> = {
  cacheDir: () => undefined,
  readTextFile: () => undefined,
  writeTextFile: () => {
    throw new Error('this platform has no files');
  },
};

/** What a host gives every script: Node's `process` and `setImmediate` where they exist, read without importing them. */
const host = globalThis as {
  process?: {
    env?: Record<string, string | undefined>;
    versions?: { node?: string };
    getBuiltinModule?: (name: 'node:v8') => { setFlagsFromString(flag: string): void } | undefined;
  };
  setImmediate?: (callback: () => void) => void;
};

const neutral: Platform = {
  name: 'neutral',
  env: (name) => host.process?.env?.[name],
  engine: () => (host.process?.versions?.node ? `Node ${host.process.versions.node}` : 'JavaScript'),
  // Under Node without node.ts installed (a program that imports the kernels alone), V8's flags are still reachable.
  setEngineFlag: (flag) => host.process?.getBuiltinModule?.('node:v8')?.setFlagsFromString(flag),
  cpuModel: () => 'CPU',
  yieldToEvents: () => new Promise<void>((resolve) => (host.setImmediate ? host.setImmediate(resolve) : setTimeout(resolve, 0))),
  ...NO_FILES,
};

let current: Platform = neutral;

/** The platform the runtime runs on. */
export function platform(): Platform {
  return current;
}

/** Installs a platform's side (once, by an entry point). */
export function usePlatform(next: Platform): void {
  current = next;
}
