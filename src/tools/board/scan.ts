/**
 * The board's index of the run and sweep folders under its roots. A scan
 * walks the folders (not following symbolic links, a few levels deep) and
 * keeps, per run, a small entry: what summary.json and the checkpoint's
 * header say, and the last line of metrics.jsonl — never the whole metrics
 * file. Entries are kept while their files' sizes and times are unchanged,
 * so a rescan of hundreds of runs costs a few stat calls each.
 */
import { displayPath } from '../../common/fs.js';
import { readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { CHECKPOINT_FILE, readCheckpointHeader } from '../../runtime/checkpoint.js';
import {
  METRICS_FILE,
  readLastEvaluation,
  readSummary,
  readSummaryRecord,
  SUMMARY_FILE,
  type Evaluation,
} from '../../runtime/run_folder.js';
import { isStale, LOCK_FILE, readRunLock } from '../../runtime/run_lock.js';
import { DEFINITION_FILE, FAILURE_FILE, readDefinition, SPEC_FILE, trialFolder } from '../sweep/folder.js';
import { metricValue } from '../sweep/definition.js';
import { drawnTrials } from '../sweep/search.js';
import type { SweepDefinition } from '../sweep/definition.js';
import { idOf, isUnder, type BoardRoot } from './paths.js';
import { differingParams, specAllowed, specDefaults, type SpecSource } from './specs.js';

export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed';

/** One run in the runs list. */
export interface RunEntry {
  readonly id: string;
  /** The folder as the user would type it (root as given + path under it). */
  readonly folder: string;
  readonly name: string;
  readonly model?: string;
  readonly spec?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** The params whose values differ from the spec's. */
  readonly differing?: Readonly<Record<string, unknown>>;
  readonly status: RunStatus;
  /** Why that status, when it is not plain (a failure's reason, a run that stopped without a summary). */
  readonly statusNote?: string;
  /** The last evaluated step. */
  readonly step?: number;
  /** The steps the run was started for. */
  readonly totalSteps?: number;
  readonly last?: Evaluation;
  readonly backend?: string;
  readonly device?: string;
  readonly seed?: number;
  /** Seconds: summary.json's when finished, else the sum of the evaluation passes so far. */
  readonly wallSeconds?: number;
  /** The newest of its files' modification times (ms since the epoch). */
  readonly updatedAt: number;
  /** The sweep's id when the run is one of its trials. */
  readonly sweep?: string;
}

/** One sweep in the sweeps list. */
export interface SweepEntry {
  readonly id: string;
  readonly folder: string;
  readonly name: string;
  readonly spec: string;
  readonly metric: { readonly name: string; readonly mode: 'max' | 'min' };
  readonly trials: number;
  readonly counts: Readonly<Record<RunStatus | 'pending', number>>;
  /** The best final value of the metric among trials. */
  readonly best?: number;
  readonly updatedAt: number;
}

export interface BoardListing {
  readonly runs: RunEntry[];
  readonly sweeps: SweepEntry[];
}

const RUN_FILES = [METRICS_FILE, SUMMARY_FILE, CHECKPOINT_FILE, LOCK_FILE] as const;

interface CachedRun {
  readonly fingerprint: string;
  /** The scan that last saw the folder: entries of folders no scan sees any more are dropped. */
  seenIn: number;
  readonly entry: Omit<RunEntry, 'status' | 'statusNote'>;
  readonly facts: StatusFacts;
}

/** What a run's status is decided from, besides the clock and the process table. */
interface StatusFacts {
  readonly summary?: { readonly interrupted?: boolean; readonly mtime: number };
  readonly metricsMtime?: number;
  readonly lastElapsed?: number;
  readonly failure?: string;
  readonly checkpoint: boolean;
  readonly lock?: { readonly pid: number; readonly host: string };
}

export interface ScanOptions {
  /** How deep under a root run folders are looked for (runs/<name> is 1, sweeps/<name>/trials/<id> is 3). */
  readonly maxDepth?: number;
  /** At most this many folders are looked into per scan. */
  readonly maxFolders?: number;
}

export class BoardIndex {
  private readonly runs = new Map<string, CachedRun>();
  private readonly definitions = new Map<string, { mtime: number; definition: SweepDefinition }>();
  private readonly maxDepth: number;
  private readonly maxFolders: number;
  private generation = 0;

  constructor(
    readonly roots: readonly BoardRoot[],
    options: ScanOptions = {},
  ) {
    this.maxDepth = options.maxDepth ?? 4;
    this.maxFolders = options.maxFolders ?? 20_000;
  }

  /** Every run (sweep trials aside) and sweep under the roots, newest first. */
  scan(now = Date.now()): BoardListing {
    const runs: RunEntry[] = [];
    const sweeps: SweepEntry[] = [];
    this.generation++;
    let budget = this.maxFolders;
    for (const root of this.roots) {
      const queue: { path: string; depth: number }[] = [{ path: root.real, depth: 0 }];
      while (queue.length > 0 && budget-- > 0) {
        const { path, depth } = queue.shift()!;
        let names: Set<string>;
        let subfolders: string[];
        try {
          const entries = readdirSync(path, { withFileTypes: true });
          names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
          // Symbolic links are not followed: a link may lead out of the folders the board was given.
          subfolders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name);
        } catch {
          continue; // deleted meanwhile, or unreadable
        }
        if (names.has(DEFINITION_FILE)) {
          const sweep = this.sweepEntry(root, path, now);
          if (sweep) sweeps.push(sweep);
          continue;
        }
        if (depth > 0 && RUN_FILES.some((f) => names.has(f))) {
          const run = this.run(root, path, now);
          if (run) runs.push(run);
          continue;
        }
        if (depth < this.maxDepth) queue.push(...subfolders.sort().map((name) => ({ path: join(path, name), depth: depth + 1 })));
      }
    }
    for (const [key, cached] of this.runs) if (cached.seenIn < this.generation) this.runs.delete(key);
    const newest = <T extends { updatedAt: number; id: string }>(a: T, b: T): number => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1);
    return { runs: runs.sort(newest), sweeps: sweeps.sort(newest) };
  }

  /** A run folder's entry (undefined when it has none of a run's files). */
  run(root: BoardRoot, dir: string, now = Date.now(), sweep?: { id: string; source: SpecSource }): RunEntry | undefined {
    const stats = new Map<string, Stats>();
    for (const file of [...RUN_FILES, FAILURE_FILE]) {
      try {
        stats.set(file, statSync(join(dir, file)));
      } catch {
        // absent
      }
    }
    if (![...RUN_FILES].some((f) => stats.has(f))) {
      this.runs.delete(dir);
      return undefined;
    }
    const fingerprint = [...stats].map(([f, s]) => `${f}:${s.size}:${s.mtimeMs}`).join('|');
    let cached = this.runs.get(dir);
    if (cached?.fingerprint !== fingerprint) {
      cached = { fingerprint, seenIn: this.generation, ...readRunEntry(root, dir, stats, sweep, this.roots) };
      this.runs.set(dir, cached);
    }
    cached.seenIn = this.generation;
    return { ...cached.entry, ...runStatus(cached.facts, now) };
  }

  private sweepEntry(root: BoardRoot, dir: string, now: number): SweepEntry | undefined {
    const definition = this.definition(dir);
    if (!definition) return undefined;
    const id = idOf(root, dir);
    const source = { file: displayPath(join(dir, SPEC_FILE)), text: definition.spec.text };
    const counts: Record<RunStatus | 'pending', number> = { running: 0, finished: 0, interrupted: 0, failed: 0, pending: 0 };
    let best: number | undefined;
    let updatedAt = statSync(join(dir, DEFINITION_FILE)).mtimeMs;
    const trials = [...definition.trials, ...drawnTrials(dir).filter((trial) => safeTrial(dir, trial))];
    for (const trial of trials) {
      const run = this.run(root, trialFolder(dir, trial.id), now, { id, source });
      if (!run) {
        counts.pending++;
        continue;
      }
      counts[run.status]++;
      updatedAt = Math.max(updatedAt, run.updatedAt);
      const value = run.last ? metricValue(run.last, definition.metric.name) : undefined;
      if (value !== undefined && (best === undefined || (definition.metric.mode === 'max' ? value > best : value < best))) best = value;
    }
    return {
      id,
      folder: join(root.given, ...id.split('/').slice(1)),
      name: definition.name,
      spec: definition.spec.path,
      metric: definition.metric,
      trials: trials.length,
      counts,
      ...(best !== undefined ? { best } : {}),
      updatedAt,
    };
  }

  /** A sweep's definition (sweep.json), kept while the file is unchanged; undefined when it is not one. */
  definition(dir: string): SweepDefinition | undefined {
    let mtime: number;
    try {
      mtime = statSync(join(dir, DEFINITION_FILE)).mtimeMs;
    } catch {
      this.definitions.delete(dir);
      return undefined;
    }
    const cached = this.definitions.get(dir);
    if (cached?.mtime === mtime) return cached.definition;
    try {
      const read = readDefinition(dir);
      if (read.format !== 'graphc-sweep' || !Array.isArray(read.trials)) return undefined;
      // Trial ids name folders: one that could name a place outside the sweep (a hand-edited
      // sweep.json, or a trial folder that is a link out) is left out.
      const definition = { ...read, trials: read.trials.filter((trial) => safeTrial(dir, trial)) };
      this.definitions.set(dir, { mtime, definition });
      return definition;
    } catch {
      return undefined;
    }
  }
}

function readRunEntry(
  root: BoardRoot,
  dir: string,
  stats: ReadonlyMap<string, Stats>,
  sweep: { id: string; source: SpecSource } | undefined,
  roots: readonly BoardRoot[],
): Pick<CachedRun, 'entry' | 'facts'> {
  const summary = stats.has(SUMMARY_FILE) ? readSummary(dir) : undefined;
  const header = stats.has(CHECKPOINT_FILE) ? readCheckpointHeader(dir) : undefined;
  const last = stats.has(METRICS_FILE) ? readLastEvaluation(dir) : undefined;
  const lock = stats.has(LOCK_FILE) ? readRunLock(dir) : undefined;
  const failure = stats.has(FAILURE_FILE) ? readFailure(dir) : undefined;
  const spec = summary?.spec ?? header?.source;
  const seed = summary?.seed ?? header?.seed;
  const model = summary?.model ?? header?.model;
  const params = summary?.params ?? header?.params;
  const source: SpecSource | undefined = sweep?.source ?? (spec !== undefined && specAllowed(spec, roots.map((r) => r.real)) ? { file: spec } : undefined);
  const defaults = source ? specDefaults(source) : undefined;
  const id = idOf(root, dir);
  const full = summary !== undefined ? readSummaryExtras(dir) : {};
  const evaluationSeconds = header?.evaluations.reduce<number>((sum, e) => sum + (typeof (e as Evaluation).elapsed === 'number' ? (e as Evaluation).elapsed : 0), 0);
  const entry: Omit<RunEntry, 'status' | 'statusNote'> = {
    id,
    folder: join(root.given, ...id.split('/').slice(1)),
    name: basename(dir),
    ...(model !== undefined ? { model } : {}),
    ...(sweep ? { spec: sweep.source.file } : spec !== undefined ? { spec } : {}),
    ...(params !== undefined ? { params, differing: differingParams(params, defaults) } : {}),
    ...(last ? { step: last.step, last } : {}),
    ...(header?.schedule.steps !== undefined ? { totalSteps: header.schedule.steps } : summary?.steps !== undefined ? { totalSteps: summary.steps } : {}),
    ...(summary?.backend !== undefined ? { backend: summary.backend } : {}),
    ...(full.device !== undefined ? { device: full.device } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(summary?.wall_seconds !== undefined ? { wallSeconds: summary.wall_seconds } : evaluationSeconds ? { wallSeconds: evaluationSeconds } : {}),
    updatedAt: Math.max(...[...stats.values()].map((s) => s.mtimeMs)),
    ...(sweep ? { sweep: sweep.id } : {}),
  };
  const facts: StatusFacts = {
    ...(summary ? { summary: { ...(summary.interrupted !== undefined ? { interrupted: summary.interrupted } : {}), mtime: stats.get(SUMMARY_FILE)!.mtimeMs } } : {}),
    ...(stats.has(METRICS_FILE) ? { metricsMtime: stats.get(METRICS_FILE)!.mtimeMs } : {}),
    ...(last ? { lastElapsed: last.elapsed } : {}),
    ...(failure !== undefined ? { failure } : {}),
    checkpoint: stats.has(CHECKPOINT_FILE),
    ...(lock ? { lock: { pid: lock.pid, host: lock.host } } : {}),
  };
  return { entry, facts };
}

/** summary.json's device (readSummary keeps the fields every tool relies on; the board shows one more). */
function readSummaryExtras(dir: string): { device?: string } {
  const device = readSummaryRecord(dir)?.['device'];
  return typeof device === 'string' ? { device } : {};
}

function readFailure(dir: string): string {
  try {
    const value = JSON.parse(readFileSync(join(dir, FAILURE_FILE), 'utf8')) as { reason?: unknown };
    return typeof value.reason === 'string' ? value.reason : 'unknown';
  } catch {
    return 'unknown';
  }
}


/** A trial whose id is a plain name ('t' and hex digits, as graphc makes them) and whose folder, if there, is inside the sweep's. */
function safeTrial(dir: string, trial: unknown): boolean {
  const id = (trial as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return false;
  try {
    return isUnder(realpathSync(dir), realpathSync(trialFolder(dir, id)));
  } catch {
    return true; // not started yet: no folder to lead anywhere
  }
}

/**
 * running: run.lock names a live process of this machine, or (without a
 * usable lock) metrics.jsonl changed more recently than the run's own pace
 * explains; finished / interrupted: what summary.json says; failed: the
 * trial's failure.json, or a run that stopped without a summary or a
 * checkpoint to resume from.
 */
export function runStatus(facts: StatusFacts, now: number): { status: RunStatus; statusNote?: string } {
  const lock = facts.lock;
  if (lock && lock.host === hostname() && !isStale(lock)) return { status: 'running' };
  // A run resumed with --resume writes metrics after the previous segment's summary.
  const quietFor = facts.metricsMtime !== undefined ? now - facts.metricsMtime : Number.POSITIVE_INFINITY;
  const pace = Math.max(120_000, 3 * (facts.lastElapsed ?? 0) * 1000);
  const resumed = facts.summary !== undefined && facts.metricsMtime !== undefined && facts.metricsMtime > facts.summary.mtime + 1000;
  const lockElsewhere = lock !== undefined && lock.host !== hostname();
  if ((facts.summary === undefined || resumed) && facts.failure === undefined && quietFor < pace && (!lock || lockElsewhere)) return { status: 'running' };
  if (facts.summary && !resumed) return facts.summary.interrupted ? { status: 'interrupted' } : { status: 'finished' };
  if (facts.failure !== undefined) return { status: 'failed', statusNote: facts.failure };
  if (facts.checkpoint) return { status: 'interrupted', statusNote: 'stopped without a summary; graphc run --resume continues it from its checkpoint' };
  return { status: 'failed', statusNote: 'stopped before its first checkpoint' };
}
