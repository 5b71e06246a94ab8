/**
 * A sweep: one spec, the params it varies (a grid, random draws), the seeds it
 * repeats each variant with, and the schedule every trial shares. A trial is
 * the spec's text + its param values + the schedule + its seed; its id hashes
 * exactly those (and graphc's version), so the same sweep submitted again
 * finds the trials it has already run.
 */
import { createHash } from 'node:crypto';
import { RandomStream } from '../../runtime/random.js';
import type { Evaluation } from '../../runtime/run_folder.js';
import { DEFAULT_SEED } from '../../runtime/trainer.js';
import { diagnostic, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { STRATEGIES } from './strategies/index.js';
import type { Distribution, ParamValues, SweepOptions, TrialSchedule } from './options.js';

export type { Distribution, ParamValues, SweepOptions, TrialSchedule } from './options.js';

/** One training run of a sweep. */
export interface Trial {
  readonly id: string;
  /** Position in the sweep (the table's default order). */
  readonly index: number;
  /** The values the sweep varies (grid and random params). */
  readonly params: ParamValues;
  readonly seed: number;
}

/** sweep.json: everything that defines a sweep, so that it can be run, resumed and reported anywhere. */
export interface SweepDefinition {
  readonly format: 'graphc-sweep';
  readonly version: 1;
  readonly name: string;
  /** The spec file as given, and its text (trials run the text, not the file: editing the file does not change a sweep). */
  readonly spec: { readonly path: string; readonly text: string };
  readonly options: SweepOptions;
  /** The metric the table sorts by ('test.acc'), and whether higher is better. */
  readonly metric: { readonly name: string; readonly mode: 'max' | 'min' };
  readonly graphcVersion: string;
  readonly trials: readonly Trial[];
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A --set/--grid value as graphc's --set reads it: a number, true/false, or text. */
export function parseValue(raw: string): string | number | boolean {
  const text = raw.trim();
  if (NUMBER.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** --grid NAME=V1,V2,… */
export function parseGrid(arg: string): { param: string; values: (string | number | boolean)[] } | Diagnostic {
  const m = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
  if (!m) return diagnostic('GC760', { option: '--grid', arg, problem: { kind: 'syntax', expected: 'NAME=V1,V2,…' } });
  const values = m[2]!.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) return diagnostic('GC760', { option: '--grid', arg, problem: { kind: 'empty_value' } });
  const parsed = values.map(parseValue);
  const duplicate = parsed.find((v, i) => parsed.indexOf(v) !== i);
  if (duplicate !== undefined) return diagnostic('GC760', { option: '--grid', arg, problem: { kind: 'duplicate_value', value: String(duplicate) } });
  return { param: m[1]!, values: parsed };
}

/** --random NAME=uniform:LOW:HIGH | loguniform:LOW:HIGH | int:LOW:HIGH | choice:A|B|C */
export function parseRandom(arg: string): { param: string; distribution: Distribution } | Diagnostic {
  const m = /^([A-Za-z][A-Za-z0-9_]*)=([a-z]+):(.*)$/s.exec(arg);
  if (!m) return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'syntax', expected: 'NAME=DIST:…, e.g. lr=loguniform:1e-4:1e-2' } });
  const [, param, kind, rest] = m as unknown as [string, string, string, string];
  if (kind === 'choice') {
    const values = rest.split('|').map((v) => v.trim());
    if (values.some((v) => v === '')) return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'empty_value' } });
    return { param, distribution: { kind: 'choice', values: values.map(parseValue) } };
  }
  if (kind !== 'uniform' && kind !== 'loguniform' && kind !== 'int') {
    return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'unknown_distribution', name: kind } });
  }
  const bounds = rest.split(':');
  const [low, high] = bounds.map((b) => (NUMBER.test(b.trim()) ? Number(b) : Number.NaN));
  if (bounds.length !== 2 || !Number.isFinite(low) || !Number.isFinite(high)) {
    return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'bounds', distribution: kind, reason: 'two numbers, LOW:HIGH' } });
  }
  if (!(low! < high!)) return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'bounds', distribution: kind, reason: 'LOW below HIGH' } });
  if (kind === 'loguniform' && low! <= 0) return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'bounds', distribution: kind, reason: 'LOW above 0' } });
  if (kind === 'int' && !(Number.isInteger(low) && Number.isInteger(high))) {
    return diagnostic('GC760', { option: '--random', arg, problem: { kind: 'bounds', distribution: kind, reason: 'whole numbers' } });
  }
  return { param, distribution: { kind, low: low!, high: high! } };
}

/** Every trial of a sweep: each strategy's value sets (or the spec alone), each with --repeat seeds. */
export function expandTrials(specText: string, options: SweepOptions, graphcVersion: string): Trial[] {
  // A search draws its trials as it goes (search.ts).
  if (options.search) return [];
  const random = new RandomStream(options.seed, 'sweep');
  const sets = STRATEGIES.flatMap((s) => s.trials(options, random));
  const variants = sets.length > 0 ? sets : [{}];
  const trials: Trial[] = [];
  for (const params of variants) {
    for (let r = 0; r < options.repeat; r++) {
      const seed = options.seed + r;
      trials.push({ id: trialId(specText, { ...options.set, ...params }, options.schedule, seed, graphcVersion), index: trials.length, params, seed });
    }
  }
  // A random draw may repeat a grid point or another draw: one trial each.
  return trials.filter((t, i) => trials.findIndex((u) => u.id === t.id) === i).map((t, i) => ({ ...t, index: i }));
}

/**
 * 't' and 20 hex digits of the SHA-256 of what makes the trial: never all
 * digits and no ':', so it serves as a BullMQ job id and a folder name.
 */
export function trialId(specText: string, params: ParamValues, schedule: TrialSchedule, seed: number, graphcVersion: string): string {
  const sorted = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const canonical = JSON.stringify({ spec: specText, params: sorted(params), schedule: sorted(schedule), seed, graphc: graphcVersion });
  return `t${createHash('sha256').update(canonical).digest('hex').slice(0, 20)}`;
}

/** The --set arguments that make a trial's model: the shared --set values, then the trial's own. */
export function trialOverrides(definition: Pick<SweepDefinition, 'options'>, trial: Trial): string[] {
  return Object.entries({ ...definition.options.set, ...trial.params }).map(([k, v]) => `${k}=${String(v)}`);
}

export const DEFAULT_SWEEP_SEED = DEFAULT_SEED;

/** The value of a metric named 'test.acc' or 'train.cost' in an evaluation. */
export function metricValue(e: Evaluation, metric: string): number | undefined {
  const [phase, name] = metric.split('.') as [string, string];
  const value = (phase === 'train' ? e.train : e.test)[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
