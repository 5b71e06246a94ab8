/**
 * A searching sweep (--sampler, --pruner) on the queue: its state lives in
 * Redis, beside the results, so that every coordinator and worker derives the
 * same search from it.
 *
 * - draws: the sweep's drawn trials by draw number, each claimed by HSETNX,
 *   so two coordinators never draw the same trial (the loser draws again,
 *   from the history that now includes the winner's draw);
 * - curves: each trial's metric at each evaluated step (the workers write it);
 * - decisions: the pruner's verdict on a trial at a step, written once
 *   (HSETNX): a trial resumed after its worker died gets the same verdict
 *   again instead of a second one made from other curves;
 * - pruned: the trials stopped by the pruner (id → step), and promoted: the
 *   promotions made. A promotion is one Lua script (atomic in Redis): it
 *   takes the trial off `pruned` only if it is still there at that step, so
 *   of two coordinators that both pick a trial, exactly one promotes it.
 * - events: one line per evaluation (the sweep's best-so-far curve).
 */
import type { Redis } from 'ioredis';
import { RandomStream } from '../../../runtime/random.js';
import type { Evaluation } from '../../../runtime/run_folder.js';
import { metricValue, trialId, type SweepDefinition, type Trial } from '../definition.js';
import { prunerNamed } from '../pruners/index.js';
import type { PrunerSettings } from '../pruners/pruner.js';
import { samplerNamed } from '../samplers/index.js';
import type { Observation } from '../samplers/sampler.js';
import { prunerSettings, searchSpace, spentSteps, type SweepEventLine } from '../search.js';
import { keys, PREFIX } from './connection.js';

/** What a worker needs to judge a searching sweep's trial (in its job's data). */
export interface JobSearch {
  /** The metric the pruner compares, e.g. test.acc. */
  readonly metric: string;
  readonly pruner?: { readonly name: 'asha' | 'median'; readonly settings: PrunerSettings };
  /** No verdict at or past this step: the trial has reached its full length. */
  readonly maxSteps: number;
}

/** A recorded verdict: the rule's answer and what it saw. */
export interface Decision {
  readonly verdict: 'continue' | 'stop';
  /** The trials with a value at that step when the verdict was made. */
  readonly trials: number;
  readonly by: string;
}

export const searchKeys = {
  draws: (sweep: string): string => `${PREFIX}:draws:${sweep}`,
  curve: (trial: string): string => `${PREFIX}:curve:${trial}`,
  decisions: (sweep: string): string => `${PREFIX}:decisions:${sweep}`,
  pruned: (sweep: string): string => `${PREFIX}:pruned:${sweep}`,
  promoted: (sweep: string): string => `${PREFIX}:promoted:${sweep}`,
  events: (sweep: string): string => `${PREFIX}:events:${sweep}`,
  /** A pruned trial's evaluations (its result, had it finished): for a submitter that does not share the store. */
  partial: `${PREFIX}:partial`,
};

export function jobSearch(definition: SweepDefinition): JobSearch | undefined {
  if (!definition.options.search && !definition.options.pruner) return undefined;
  const pruner = definition.options.pruner;
  return {
    metric: definition.metric.name,
    ...(pruner ? { pruner: { name: pruner.name, settings: prunerSettings(definition) } } : {}),
    maxSteps: pruner?.maxResource ?? definition.options.schedule.steps ?? Number.MAX_SAFE_INTEGER,
  };
}

/** The trials drawn so far, in draw order. */
export async function drawnOnQueue(redis: Redis, sweep: string): Promise<Trial[]> {
  const all = await redis.hgetall(searchKeys.draws(sweep));
  return Object.entries(all)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, text]) => JSON.parse(text) as Trial);
}

/** Every trial of the sweep: the listed ones, then the drawn ones (a repeated draw counted once). */
export async function trialsOnQueue(redis: Redis, definition: SweepDefinition): Promise<Trial[]> {
  const trials = [...definition.trials];
  for (const t of await drawnOnQueue(redis, definition.name)) if (!trials.some((u) => u.id === t.id)) trials.push(t);
  return trials;
}

export async function curvesOnQueue(redis: Redis, trials: readonly Trial[]): Promise<Map<string, Map<number, number>>> {
  const curves = new Map<string, Map<number, number>>();
  const pipeline = redis.pipeline();
  for (const t of trials) pipeline.hgetall(searchKeys.curve(t.id));
  const answers = (await pipeline.exec()) ?? [];
  trials.forEach((t, i) => {
    const values = (answers[i]?.[1] ?? {}) as Record<string, string>;
    curves.set(t.id, new Map(Object.entries(values).map(([step, value]) => [Number(step), Number(value)])));
  });
  return curves;
}

/** The trials the pruner stopped and not yet promoted: id → the step it stopped at. */
export async function prunedOnQueue(redis: Redis, sweep: string): Promise<Map<string, number>> {
  const all = await redis.hgetall(searchKeys.pruned(sweep));
  return new Map(Object.entries(all).map(([id, step]) => [id, Number(step)]));
}

/** What the sampler sees of each trial: `running` are those with a job waiting or active. */
async function observationsOnQueue(redis: Redis, definition: SweepDefinition, trials: readonly Trial[], running: ReadonlySet<string>): Promise<Observation[]> {
  const curves = await curvesOnQueue(redis, trials);
  const pruned = await prunedOnQueue(redis, definition.name);
  const ids = trials.map((t) => t.id);
  const [results, failures] = ids.length === 0 ? [[], []] : await Promise.all([redis.hmget(keys.results, ...ids), redis.hmget(keys.failures, ...ids)]);
  return trials.map((trial, i) => {
    const curve = curves.get(trial.id)!;
    const step = Math.max(0, ...curve.keys());
    const state = running.has(trial.id) ? 'running' : results[i] ? 'done' : pruned.has(trial.id) ? 'pruned' : failures[i] ? 'failed' : 'running';
    return { params: trial.params, step, ...(curve.has(step) ? { value: curve.get(step)! } : {}), state };
  });
}

/**
 * Draws the sweep's next trial and claims it, as the local search does
 * (search.ts drawNext), with the history read from Redis: draw n from its
 * own random stream, kept only if no other coordinator claimed draw n first.
 */
export async function drawOnQueue(redis: Redis, definition: SweepDefinition, running: ReadonlySet<string>): Promise<Trial | undefined> {
  const search = definition.options.search!;
  const sampler = samplerNamed(search.sampler)!;
  const space = searchSpace(definition);
  for (;;) {
    const index = await redis.hlen(searchKeys.draws(definition.name));
    if (search.samples !== undefined && index >= search.samples) return undefined;
    const trials = await trialsOnQueue(redis, definition);
    const history = await observationsOnQueue(redis, definition, trials, running);
    const random = new RandomStream(definition.options.seed, `draw-${index}`);
    const params = sampler.draw(space, history, index, { random, mode: definition.metric.mode, startup: search.startup });
    if (params === undefined) return undefined;
    const seed = definition.options.seed;
    const id = trialId(definition.spec.text, { ...definition.options.set, ...params }, definition.options.schedule, seed, definition.graphcVersion);
    const trial: Trial = { id, index: definition.trials.length + index, params, seed };
    if ((await redis.hsetnx(searchKeys.draws(definition.name), String(index), JSON.stringify(trial))) === 0) continue;
    // The same values again (a small choice space): the trial exists; the draw is spent.
    if (trials.some((t) => t.id === id)) continue;
    return trial;
  }
}

/** Takes `trial` off the pruned hash if it is still there at `step`, and records who promoted it: 1 when this call did. */
const PROMOTE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1] .. '@' .. ARGV[2], ARGV[3])
return 1
`;

/** The promotion of `trial`, stopped at `step`, claimed for `by`: true for exactly one of any number of concurrent callers. */
export async function claimPromotion(redis: Redis, sweep: string, trial: string, step: number, by: string): Promise<boolean> {
  const won = await redis.eval(PROMOTE, 2, searchKeys.pruned(sweep), searchKeys.promoted(sweep), trial, String(step), by);
  return won === 1;
}

/**
 * The trial the pruner promotes now, claimed; undefined when none is due. A
 * claim lost to another coordinator is not an error: the rule is asked again.
 */
export async function promoteOnQueue(redis: Redis, definition: SweepDefinition, by: string): Promise<{ trial: Trial; step: number } | undefined> {
  const pruner = definition.options.pruner ? prunerNamed(definition.options.pruner.name) : undefined;
  if (!pruner) return undefined;
  for (;;) {
    const stopped = await prunedOnQueue(redis, definition.name);
    if (stopped.size === 0) return undefined;
    const trials = await trialsOnQueue(redis, definition);
    const promoted = pruner.promote(stopped, await curvesOnQueue(redis, trials), prunerSettings(definition));
    if (promoted === undefined) return undefined;
    const step = stopped.get(promoted)!;
    if (await claimPromotion(redis, definition.name, promoted, step, by)) return { trial: trials.find((t) => t.id === promoted)!, step };
  }
}

/**
 * A worker's evaluation of a searching sweep's trial: its value goes into the
 * trial's curve and the sweep's events, then the pruner's verdict, made once
 * (the first recorded verdict for that trial and step stands).
 */
export async function evaluateOnQueue(
  redis: Redis,
  definition: SweepDefinition,
  search: JobSearch,
  trial: string,
  step: number,
  value: number | undefined,
  by: string,
): Promise<'continue' | 'stop'> {
  if (value !== undefined) await redis.hset(searchKeys.curve(trial), String(step), String(value));
  const trials = await trialsOnQueue(redis, definition);
  const curves = await curvesOnQueue(redis, trials);
  const event: SweepEventLine = { trial, step, ...(value !== undefined ? { value } : {}), spent: spentSteps(curves) };
  await redis.rpush(searchKeys.events(definition.name), JSON.stringify(event));
  const pruner = search.pruner ? prunerNamed(search.pruner.name) : undefined;
  if (!pruner || !search.pruner || step >= search.maxSteps) return 'continue';
  const verdict = pruner.decide(trial, step, curves, search.pruner.settings);
  const decision: Decision = { verdict, trials: [...curves.values()].filter((c) => c.has(step)).length, by };
  const field = `${trial}@${step}`;
  await redis.hsetnx(searchKeys.decisions(definition.name), field, JSON.stringify(decision));
  const stored = await redis.hget(searchKeys.decisions(definition.name), field);
  return (JSON.parse(stored!) as Decision).verdict;
}

/**
 * A searching sweep's trial about to be resumed from its checkpoint: the
 * step to prune it at, if the pruner stops it where it stands. Its last
 * worker may have died after the trial checkpointed an evaluation and before
 * Redis heard of it (the run reports an evaluation after its checkpoint, and
 * a resumed run does not evaluate that step again): such evaluations are
 * recorded now, and the last one gets its verdict now, as it would have then.
 * A verdict already recorded stands; a trial promoted from that step goes on.
 */
export async function resumeOnQueue(
  redis: Redis,
  definition: SweepDefinition,
  search: JobSearch,
  trial: string,
  evaluations: readonly Evaluation[],
  by: string,
): Promise<number | undefined> {
  const last = evaluations.at(-1);
  if (!last || !search.pruner || last.step >= search.maxSteps) return undefined;
  const recorded = await redis.hgetall(searchKeys.curve(trial));
  for (const e of evaluations.slice(0, -1)) {
    const value = metricValue(e, search.metric);
    if (!(String(e.step) in recorded) && value !== undefined) await redis.hset(searchKeys.curve(trial), String(e.step), String(value));
  }
  const field = `${trial}@${last.step}`;
  if ((await redis.hexists(searchKeys.promoted(definition.name), field)) === 1) return undefined;
  const stored = await redis.hget(searchKeys.decisions(definition.name), field);
  const verdict = stored !== null ? (JSON.parse(stored) as Decision).verdict : await evaluateOnQueue(redis, definition, search, trial, last.step, metricValue(last, search.metric), by);
  return verdict === 'stop' ? last.step : undefined;
}

/** The recorded verdicts: `<trial>@<step>` → decision. */
export async function decisionsOnQueue(redis: Redis, sweep: string): Promise<Map<string, Decision>> {
  const all = await redis.hgetall(searchKeys.decisions(sweep));
  return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as Decision]));
}

export async function eventsOnQueue(redis: Redis, sweep: string): Promise<SweepEventLine[]> {
  return (await redis.lrange(searchKeys.events(sweep), 0, -1)).map((l) => JSON.parse(l) as SweepEventLine);
}

