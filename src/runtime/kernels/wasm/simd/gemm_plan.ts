/**
 * The GEMM planner: which of gemm.wat's variants (gemm.variants.ts) a
 * product runs in. No one tile and blocking is fastest on every processor,
 * so, like FFTW's planner, graphc times the variants on the real operands
 * the first time a shape class (m, k, n rounded up to powers of two) runs
 * on a machine, keeps the fastest, and remembers the choice per CPU model in
 * a small JSON file under the user's cache folder ($XDG_CACHE_HOME/graphc,
 * or ~/.cache/graphc). The file is only a cache: deleting it costs one more
 * round of timing; one that is corrupt, made by another build of the GEMM or
 * on another CPU model is ignored with a note (GC880) and rewritten. All
 * variants compute the same sums in the same order, so the choice changes
 * speed, never values.
 */
import { diagnostic, fail } from '../../../../common/diagnostics/diagnostic.js';
import { platform } from '../../../platform/platform.js';
import { DEFAULT_GEMM_VARIANT, GEMM_VARIANTS } from './gemm.variants.js';

/** Forces one variant (no timing): GRAPHC_GEMM_VARIANT=<name>. */
export const VARIANT_ENV = 'GRAPHC_GEMM_VARIANT';

/** The cache file's format; a file of another format is stale. */
const FORMAT = 1;

/** Products smaller than this (m·k·n) are not worth timing: they run in the default variant. */
export const MIN_PLANNED_VOLUME = 1 << 18;

/** One shape class's plan: the variant chosen and what each variant measured (median GFLOP/s). */
export interface PlanEntry {
  readonly variant: string;
  readonly gflops: Readonly<Record<string, number>>;
}

export interface PlanFile {
  readonly graphc_gemm_plan: number;
  /** Which GEMM module the timings are of (a digest of its bytes). */
  readonly module: string;
  readonly cpu: string;
  readonly classes: Readonly<Record<string, PlanEntry>>;
}

/** Times the variants on one product: run(variant) computes it once in that variant. */
export interface Trial {
  run(variant: string): void;
  dispose(): void;
}

export interface PlannerOptions {
  /** The cache file (defaultPlanPath() unless given), or null to keep the plan in memory only. */
  readonly file?: string | null;
  /** This machine's CPU model, as the file records it. */
  readonly cpu?: string;
  /** The GEMM module's digest (moduleDigest()). */
  readonly module: string;
  /** Milliseconds from an arbitrary origin (performance.now unless given: tests inject one). */
  readonly clock?: () => number;
  /** Where notes (GC880, GC881) go: stderr unless given. */
  readonly note?: (line: string) => void;
  /** The variants to choose from (all unless given). */
  readonly variants?: readonly string[];
  /** A forced variant (GRAPHC_GEMM_VARIANT). */
  readonly forced?: string;
  /** Timed rounds per variant (the median counts) and the least time of one sample. */
  readonly rounds?: number;
  readonly sampleMs?: number;
}

/** The shape class of an m × k by k × n product: each size rounded up to a power of two. */
export function shapeClass(m: number, k: number, n: number): string {
  const up = (x: number): number => 2 ** Math.ceil(Math.log2(Math.max(x, 1)));
  return `m${up(m)}-k${up(k)}-n${up(n)}`;
}

/** The variant whose median time is least (the first listed on a tie). */
export function fastest(times: ReadonlyMap<string, readonly number[]>): string {
  let best: string | undefined;
  let bestMs = Infinity;
  for (const [variant, samples] of times) {
    const ms = median(samples);
    if (ms < bestMs) [best, bestMs] = [variant, ms];
  }
  if (best === undefined) throw new Error('no variant was timed');
  return best;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times each variant `rounds` times, round-robin (so that a slow moment of a
 * shared machine falls on every variant alike), each sample repeating the
 * product until it lasts sampleMs. Milliseconds per product, by variant.
 */
export function timeVariants(variants: readonly string[], trial: Trial, clock: () => number, rounds = 3, sampleMs = 2): Map<string, number[]> {
  const once = (variant: string): number => {
    const start = clock();
    trial.run(variant);
    return clock() - start;
  };
  // Warm each variant up (V8 compiles wasm functions lazily) and size the samples.
  const first = Math.max(...variants.map(once), 1e-3);
  const reps = Math.max(1, Math.ceil(sampleMs / first));
  const times = new Map(variants.map((v) => [v, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const start = clock();
      for (let i = 0; i < reps; i++) trial.run(variant);
      times.get(variant)!.push((clock() - start) / reps);
    }
  }
  return times;
}

/** The default cache file: $XDG_CACHE_HOME/graphc/gemm-plan-<cpu>.json (~/.cache when XDG_CACHE_HOME is unset). */
export function defaultPlanPath(cpu = cpuModel()): string | null {
  const base = platform().cacheDir();
  if (base === undefined) return null;
  const slug = cpu.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cpu';
  return `${base}/gemm-plan-${slug}.json`;
}

/** This machine's CPU model and core count, as plan files record it. */
export function cpuModel(): string {
  return platform().cpuModel();
}

/**
 * A short digest of the GEMM module's bytes (two 32-bit FNV-1a hashes): plans
 * timed on another build of the variants are stale. Not a security measure: a
 * plan only picks among variants that all compute the same values.
 */
export function moduleDigest(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ bytes.length;
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193) >>> 0;
    b = Math.imul(b ^ byte, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** The forced variant named by GRAPHC_GEMM_VARIANT, checked (GC882), or undefined. */
export function forcedVariant(env?: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = (env ? env[VARIANT_ENV] : platform().env(VARIANT_ENV))?.trim();
  if (!name) return undefined;
  if (!GEMM_VARIANTS.some((v) => v.name === name)) fail('GC882', { name, variants: GEMM_VARIANTS.map((v) => v.name).join(', ') });
  return name;
}

export class GemmPlanner {
  readonly file: string | null;
  readonly cpu: string;
  readonly forced: string | undefined;
  private readonly module: string;
  private readonly clock: () => number;
  private readonly note: (line: string) => void;
  private readonly variants: readonly string[];
  private readonly rounds: number;
  private readonly sampleMs: number;
  private classes: Record<string, PlanEntry> | undefined;
  /** Chosen variant by numeric class key, for the per-call lookup. */
  private readonly chosen = new Map<number, string>();

  constructor(options: PlannerOptions) {
    this.cpu = options.cpu ?? cpuModel();
    this.file = options.file === undefined ? defaultPlanPath(this.cpu) : options.file;
    this.module = options.module;
    this.clock = options.clock ?? (() => performance.now());
    // console.error: stderr under Node, the console in a page.
    this.note = options.note ?? ((line) => console.error(line));
    this.variants = options.variants ?? GEMM_VARIANTS.map((v) => v.name);
    this.forced = options.forced;
    this.rounds = options.rounds ?? 3;
    this.sampleMs = options.sampleMs ?? 2;
  }

  /** The plan so far, by shape class (read from the file on first use). */
  plan(): Readonly<Record<string, PlanEntry>> {
    return (this.classes ??= this.load());
  }

  /**
   * The variant for an m × k by k × n product: the forced one, the default
   * for small products, the plan's for a known class, or else the fastest of
   * the variants timed now through `trial` (made only then), which the plan
   * and its file keep.
   */
  variantFor(m: number, k: number, n: number, trial: () => Trial): string {
    if (this.forced) return this.forced;
    if (m * k * n < MIN_PLANNED_VOLUME) return DEFAULT_GEMM_VARIANT;
    const key = (Math.ceil(Math.log2(m)) << 10) | (Math.ceil(Math.log2(k)) << 5) | Math.ceil(Math.log2(n));
    const known = this.chosen.get(key);
    if (known) return known;
    const name = shapeClass(m, k, n);
    let entry = this.plan()[name];
    if (!entry || !this.variants.includes(entry.variant)) {
      const t = trial();
      let times: Map<string, number[]>;
      try {
        times = timeVariants(this.variants, t, this.clock, this.rounds, this.sampleMs);
      } finally {
        t.dispose();
      }
      const gflops = Object.fromEntries([...times].map(([v, samples]) => [v, round((2 * m * k * n) / (median(samples) * 1e6))]));
      entry = { variant: fastest(times), gflops };
      this.classes![name] = entry;
      this.save();
    }
    this.chosen.set(key, entry.variant);
    return entry.variant;
  }

  /** One line: where the plan is and what it chose, for the backend line and `graphc doctor`. */
  describe(): string {
    if (this.forced) return `variant ${this.forced} (${VARIANT_ENV})`;
    const counts = new Map<string, number>();
    for (const entry of Object.values(this.plan())) counts.set(entry.variant, (counts.get(entry.variant) ?? 0) + 1);
    const where = this.file ?? 'memory';
    if (counts.size === 0) return `variants timed per shape class on first use (plan: ${where})`;
    const chosen = [...counts].sort((a, b) => b[1] - a[1]).map(([v, c]) => `${v} ×${c}`).join(', ');
    return `variant per shape class from ${where} (${chosen}; others timed on first use)`;
  }

  private load(): Record<string, PlanEntry> {
    const read = this.read();
    if ('reason' in read) {
      const d = diagnostic('GC880', { file: this.file!, reason: read.reason });
      this.note(`graphc: warning ${d.code}: ${d.message}`);
      return {};
    }
    return read.classes;
  }

  /** The file's classes (none if it does not exist), or why it does not count. */
  private read(): { classes: Record<string, PlanEntry> } | { reason: string } {
    if (this.file === null) return { classes: {} };
    let text: string | undefined;
    try {
      text = platform().readTextFile(this.file);
    } catch (error) {
      return { reason: `unreadable (${(error as Error).message})` };
    }
    if (text === undefined) return { classes: {} };
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { reason: 'corrupt (not JSON)' };
    }
    if (!isPlanFile(data)) return { reason: 'corrupt (not a GEMM plan)' };
    if (data.graphc_gemm_plan !== FORMAT || data.module !== this.module) return { reason: "stale (made for another build of graphc's GEMM)" };
    if (data.cpu !== this.cpu) return { reason: `made on another CPU (${data.cpu}; this is ${this.cpu})` };
    return { classes: { ...data.classes } };
  }

  private save(): void {
    if (this.file === null) return;
    // Another process (a worker) may have planned other classes since this one read the file: keep them.
    const read = this.read();
    const classes = { ...('classes' in read ? read.classes : {}), ...this.classes };
    const data: PlanFile = { graphc_gemm_plan: FORMAT, module: this.module, cpu: this.cpu, classes };
    try {
      platform().writeTextFile(this.file, `${JSON.stringify(data, null, 2)}\n`);
    } catch (error) {
      const d = diagnostic('GC881', { file: this.file, reason: (error as Error).message });
      this.note(`graphc: warning ${d.code}: ${d.message}`);
    }
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;

function isPlanFile(data: unknown): data is PlanFile {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  if (typeof d['graphc_gemm_plan'] !== 'number' || typeof d['module'] !== 'string' || typeof d['cpu'] !== 'string') return false;
  const classes = d['classes'];
  if (typeof classes !== 'object' || classes === null) return false;
  return Object.values(classes).every(
    (e) => typeof e === 'object' && e !== null && typeof (e as PlanEntry).variant === 'string' && typeof (e as PlanEntry).gflops === 'object' && (e as PlanEntry).gflops !== null,
  );
}
