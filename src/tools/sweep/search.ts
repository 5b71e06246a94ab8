/**
 * A searching sweep's state, all derived from its folder: the trials drawn so
 * far (draws/<n>.json, each claimed by an exclusive create, so that two
 * coordinators never draw the same trial twice), every trial's curve (its
 * metrics.jsonl), the steps spent, and events.jsonl (one line per evaluation,
 * in the order they came: the sweep's best-so-far curve).
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandomStream } from '../../runtime/random.js';
import { readMetrics, type Evaluation } from '../../runtime/run_folder.js';
import { metricValue, trialId, type SweepDefinition, type Trial } from './definition.js';
import { trialFolder, trialState } from './folder.js';
import type { SearchSpace, Observation } from './samplers/sampler.js';
import { samplerNamed } from './samplers/index.js';
import type { Curves, PrunerSettings } from './pruners/pruner.js';

export const DRAWS_DIR = 'draws';
export const EVENTS_FILE = 'events.jsonl';

/** The distributions a search draws from: --random's, and each --grid axis as a choice. */
export function searchSpace(definition: Pick<SweepDefinition, 'options'>): SearchSpace {
  const { grid, random } = definition.options;
  return [...grid.map((g) => ({ param: g.param, distribution: { kind: 'choice' as const, values: g.values } })), ...random];
}

/** The trials drawn so far, in draw order. */
export function drawnTrials(dir: string): Trial[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, DRAWS_DIR)).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  return names.sort().map((n) => JSON.parse(readFileSync(join(dir, DRAWS_DIR, n), 'utf8')) as Trial);
}

/** Every trial of the sweep: the ones listed up front, then the drawn ones. */
export function allTrials(definition: SweepDefinition, dir: string): Trial[] {
  return [...definition.trials, ...drawnTrials(dir)];
}

function safeMetrics(folder: string): Evaluation[] {
  try {
    return readMetrics(folder);
  } catch {
    return [];
  }
}

/** Each trial's metric at each evaluated step. */
export function trialCurves(definition: SweepDefinition, dir: string, trials: readonly Trial[]): Map<string, Map<number, number>> {
  const curves = new Map<string, Map<number, number>>();
  for (const trial of trials) {
    const curve = new Map<number, number>();
    for (const e of safeMetrics(trialFolder(dir, trial.id))) {
      const value = metricValue(e, definition.metric.name);
      if (value !== undefined) curve.set(e.step, value);
    }
    curves.set(trial.id, curve);
  }
  return curves;
}

/** Training steps spent by the sweep: each trial's last evaluated step, summed. */
export function spentSteps(curves: Curves): number {
  let total = 0;
  for (const curve of curves.values()) total += Math.max(0, ...curve.keys());
  return total;
}

export function prunerSettings(definition: SweepDefinition): PrunerSettings {
  const p = definition.options.pruner!;
  return { minResource: p.minResource, reduction: p.reduction, maxResource: p.maxResource, mode: definition.metric.mode };
}

/** What the sampler sees of each trial. */
export function observations(dir: string, trials: readonly Trial[], curves: Curves, running: ReadonlySet<string>): Observation[] {
  return trials.map((trial) => {
    const curve = curves.get(trial.id) ?? new Map<number, number>();
    const step = Math.max(0, ...curve.keys());
    const state = running.has(trial.id) ? 'running' : trialState(trialFolder(dir, trial.id)).state;
    return {
      params: trial.params,
      step,
      ...(curve.has(step) ? { value: curve.get(step)! } : {}),
      state: state === 'done' ? 'done' : state === 'pruned' ? 'pruned' : state === 'failed' ? 'failed' : 'running',
    };
  });
}

/**
 * Draws the sweep's next trial and claims it: draw n is computed from the
 * trials on disk with its own random stream, then written to draws/<n>.json
 * only if no other coordinator wrote that draw first (else the next n, with
 * the history that now includes the other's). Undefined when the sampler has
 * nothing left or --samples is reached.
 */
export function drawNext(definition: SweepDefinition, dir: string, specText: string, running: ReadonlySet<string>): Trial | undefined {
  const search = definition.options.search!;
  const sampler = samplerNamed(search.sampler)!;
  const space = searchSpace(definition);
  mkdirSync(join(dir, DRAWS_DIR), { recursive: true });
  for (;;) {
    const drawn = drawnTrials(dir);
    const index = drawn.length;
    if (search.samples !== undefined && index >= search.samples) return undefined;
    const trials = allTrials(definition, dir);
    const history = observations(dir, trials, trialCurves(definition, dir, trials), running);
    const random = new RandomStream(definition.options.seed, `draw-${index}`);
    const params = sampler.draw(space, history, index, { random, mode: definition.metric.mode, startup: search.startup });
    if (params === undefined) return undefined;
    const seed = definition.options.seed;
    const id = trialId(specText, { ...definition.options.set, ...params }, definition.options.schedule, seed, definition.graphcVersion);
    const trial: Trial = { id, index: definition.trials.length + index, params, seed };
    try {
      writeFileSync(join(dir, DRAWS_DIR, `${String(index).padStart(5, '0')}.json`), `${JSON.stringify(trial)}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    // The same values again (a small choice space): the trial exists; the draw is spent.
    if (trials.some((t) => t.id === id)) continue;
    return trial;
  }
}

export interface SweepEventLine {
  readonly trial: string;
  readonly step: number;
  readonly value?: number;
  /** Steps the sweep had spent when this evaluation came. */
  readonly spent: number;
}

export function appendEvent(dir: string, event: SweepEventLine): void {
  appendFileSync(join(dir, EVENTS_FILE), `${JSON.stringify(event)}\n`);
}

export function readEvents(dir: string): SweepEventLine[] {
  let text: string;
  try {
    text = readFileSync(join(dir, EVENTS_FILE), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
    try {
      return [JSON.parse(l) as SweepEventLine];
    } catch {
      return [];
    }
  });
}

/** The sweep's best value after each evaluation that improved it, with the steps spent by then. */
export function bestSoFar(events: readonly SweepEventLine[], mode: 'max' | 'min'): { spent: number; best: number; trial: string; step: number }[] {
  const points: { spent: number; best: number; trial: string; step: number }[] = [];
  for (const e of events) {
    if (e.value === undefined) continue;
    const last = points.at(-1);
    if (!last || (mode === 'max' ? e.value > last.best : e.value < last.best)) points.push({ spent: e.spent, best: e.value, trial: e.trial, step: e.step });
  }
  return points;
}
