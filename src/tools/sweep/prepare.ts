/**
 * From the command line to a sweep definition, checked before anything runs:
 * the spec compiles, every varied param exists (GC304, with a suggestion),
 * every distribution and value list is well-formed (GC760), and every
 * variant compiles with its values (its own diagnostics otherwise).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { checkSpec } from '../../compiler/index.js';
import { displayPath } from '../../common/fs.js';
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { diagnostic, GraphcError, hasErrors, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { suggest } from '../../common/suggest.js';
import { graphcVersion } from '../../common/version.js';
import { expandTrials, parseGrid, parseRandom, parseValue, trialOverrides, type SweepDefinition, type SweepOptions, type TrialSchedule } from './definition.js';
import type { Budget, PrunerOptions, SearchOptions } from './options.js';
import { readDefinition, sweepFolder } from './folder.js';

export interface SweepArguments {
  readonly grid: readonly string[];
  readonly random: readonly string[];
  readonly samples?: number;
  readonly repeat: number;
  readonly seed: number;
  readonly set: readonly string[];
  readonly schedule: TrialSchedule;
  readonly metric?: string;
  readonly mode?: 'max' | 'min';
  readonly name?: string;
  readonly sampler?: 'grid' | 'random' | 'tpe';
  readonly startup?: number;
  readonly pruner?: 'asha' | 'median';
  readonly minResource?: number;
  readonly reduction?: number;
  readonly budget?: string;
}

/** Random draws before TPE models, unless --startup says. */
export const DEFAULT_STARTUP = 5;
export const DEFAULT_REDUCTION = 3;

/** --budget 20000 (steps) | 90s | 30m | 2h. */
export function parseBudget(text: string): Budget | undefined {
  if (/^\d+$/.test(text) && Number(text) > 0) return { steps: Number(text) };
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text);
  if (!m || Number(m[1]) <= 0) return undefined;
  return { seconds: Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'] };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The definition of a sweep of `spec`, and the folder it lives in under `root`; throws GraphcError with every problem found. */
export function prepareSweep(spec: string, args: SweepArguments, root: string): { definition: SweepDefinition; dir: string } {
  const base = checkSpec(spec);
  const sources = new Map([[spec, base.text ?? '']]);
  if (!base.graph || hasErrors(base.diagnostics)) throw new GraphcError(base.diagnostics, sources);
  const graph = base.graph;
  const known = Object.keys(graph.params);

  const problems: Diagnostic[] = [];
  const seen = new Set<string>();
  const claim = (param: string, option: '--set' | '--grid' | '--random', arg: string): boolean => {
    if (!known.includes(param)) {
      problems.push(diagnostic('GC304', { param, suggestion: suggest(param, known), known, option }));
      return false;
    }
    if (seen.has(param)) {
      problems.push(diagnostic('GC760', { option, arg, problem: { kind: 'both_varied', param } }));
      return false;
    }
    seen.add(param);
    return true;
  };
  const set: Record<string, string | number | boolean> = {};
  for (const arg of args.set) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
    if (!m) problems.push(diagnostic('GC306', { arg }));
    else if (claim(m[1]!, '--set', arg)) set[m[1]!] = parseValue(m[2]!);
  }
  const grid: SweepOptions['grid'][number][] = [];
  for (const arg of args.grid) {
    const parsed = parseGrid(arg);
    if ('code' in parsed) problems.push(parsed);
    else if (claim(parsed.param, '--grid', arg)) grid.push(parsed);
  }
  const random: SweepOptions['random'][number][] = [];
  for (const arg of args.random) {
    const parsed = parseRandom(arg);
    if ('code' in parsed) problems.push(parsed);
    else if (claim(parsed.param, '--random', arg)) random.push(parsed);
  }
  const searching = args.sampler !== undefined;
  if (args.samples !== undefined && args.random.length === 0 && !searching) problems.push(diagnostic('GC760', { option: '--samples', arg: String(args.samples), problem: { kind: 'samples_without_random' } }));
  if (args.random.length > 0 && args.samples === undefined && !searching) problems.push(diagnostic('GC760', { option: '--random', arg: args.random[0]!, problem: { kind: 'random_without_samples' } }));
  if (args.name !== undefined && !NAME.test(args.name)) {
    problems.push(diagnostic('GC760', { option: '--name', arg: args.name, problem: { kind: 'bad_name', suggestion: args.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'my-sweep' } }));
  }
  const search = searchOptions(args, problems);
  const evalEvery = args.schedule.evalEvery ?? graph.train.evaluation.every;
  const pruner = prunerOptions(args, evalEvery, args.schedule.steps ?? graph.train.steps, problems);
  let budget: Budget | undefined;
  if (args.budget !== undefined) {
    budget = parseBudget(args.budget);
    if (!budget) problems.push(diagnostic('GC763', { option: '--budget', arg: args.budget, problem: { kind: 'budget_syntax' } }));
  }
  if (problems.length > 0) throw new GraphcError(problems, sources);

  const options: SweepOptions = {
    grid,
    random,
    samples: args.samples ?? 0,
    repeat: args.repeat,
    seed: args.seed,
    set,
    schedule: args.schedule,
    ...(search ? { search } : {}),
    ...(pruner ? { pruner } : {}),
    ...(budget ? { budget } : {}),
  };
  const version = graphcVersion();
  const trials = expandTrials(base.text!, options, version);
  const partial = { format: 'graphc-sweep', version: 1, spec: { path: displayPath(spec), text: base.text! }, options, metric: chooseMetric(graph, args), graphcVersion: version, trials } as const;
  checkVariants(spec, partial, sources);
  const name = args.name ?? `${graph.name}-${createHash('sha256').update(JSON.stringify(partial)).digest('hex').slice(0, 6)}`;
  const definition: SweepDefinition = { ...partial, name };
  const dir = sweepFolder(name, root);
  if (existsSync(dir)) checkSameSweep(readDefinition(dir), definition);
  return { definition, dir };
}

/** --metric, else the spec's accuracy-like metric (higher is better), else its loss (lower is better). */
function chooseMetric(graph: IrGraph, args: SweepArguments): SweepDefinition['metric'] {
  if (args.metric !== undefined) return { name: args.metric.includes('.') ? args.metric : `test.${args.metric}`, mode: args.mode ?? (/acc/i.test(args.metric) ? 'max' : 'min') };
  const accuracy = graph.train.metrics.find((m) => /acc/i.test(m.name));
  if (accuracy) return { name: `test.${accuracy.name}`, mode: args.mode ?? 'max' };
  const loss = graph.train.metrics.find((m) => m.node === graph.train.loss) ?? graph.train.metrics[0];
  return { name: `test.${loss?.name ?? 'cost'}`, mode: args.mode ?? 'min' };
}

/** Every distinct variant compiles with its values (e.g. a string where the param is a number is GC305). */
function checkVariants(spec: string, definition: Pick<SweepDefinition, 'options' | 'trials'>, sources: Map<string, string>): void {
  const variants = new Map(definition.trials.map((t) => [JSON.stringify(trialOverrides(definition, t)), trialOverrides(definition, t)]));
  const problems: Diagnostic[] = [];
  for (const set of variants.values()) {
    const result = checkSpec(spec, { set });
    if (hasErrors(result.diagnostics)) problems.push(...result.diagnostics.filter((d) => !problems.some((p) => p.message === d.message)));
  }
  if (problems.length > 0) throw new GraphcError(problems, sources);
}

/** A named sweep that exists must be the same sweep (a run again resumes it). */
function checkSameSweep(existing: SweepDefinition, wanted: SweepDefinition): void {
  const fail = (problem: Parameters<typeof diagnostic<'GC762'>>[1]['problem']): never => {
    throw new GraphcError([diagnostic('GC762', { name: wanted.name, problem })]);
  };
  if (existing.graphcVersion !== wanted.graphcVersion) fail({ kind: 'version', was: existing.graphcVersion, now: wanted.graphcVersion });
  if (existing.spec.text !== wanted.spec.text) fail({ kind: 'spec' });
  if (JSON.stringify(existing.trials) !== JSON.stringify(wanted.trials) || JSON.stringify(existing.metric) !== JSON.stringify(wanted.metric)) fail({ kind: 'options' });
}

/** --sampler, --startup, --samples as a search (undefined without --sampler), its problems into `problems`. */
function searchOptions(args: SweepArguments, problems: Diagnostic[]): SearchOptions | undefined {
  if (args.startup !== undefined && args.sampler !== 'tpe') problems.push(diagnostic('GC763', { option: '--startup', arg: String(args.startup), problem: { kind: 'without', needs: '--sampler tpe' } }));
  if (args.sampler === undefined) return undefined;
  const option = '--sampler';
  if (args.grid.length === 0 && args.random.length === 0) problems.push(diagnostic('GC763', { option, arg: args.sampler, problem: { kind: 'no_space' } }));
  if (args.sampler === 'grid' && args.random.length > 0) problems.push(diagnostic('GC763', { option, arg: args.sampler, problem: { kind: 'grid_sampler_random' } }));
  if (args.sampler !== 'grid' && args.samples === undefined && args.budget === undefined) problems.push(diagnostic('GC763', { option, arg: args.sampler, problem: { kind: 'unbounded' } }));
  if (args.repeat > 1) problems.push(diagnostic('GC763', { option: '--repeat', arg: String(args.repeat), problem: { kind: 'repeat' } }));
  return { sampler: args.sampler, startup: args.startup ?? DEFAULT_STARTUP, ...(args.samples !== undefined ? { samples: args.samples } : {}) };
}

/** --pruner, --min-resource, --reduction (undefined without --pruner); rungs fall on evaluations. */
function prunerOptions(args: SweepArguments, evalEvery: number, maxResource: number, problems: Diagnostic[]): PrunerOptions | undefined {
  if (args.pruner === undefined) {
    if (args.minResource !== undefined) problems.push(diagnostic('GC763', { option: '--min-resource', arg: String(args.minResource), problem: { kind: 'without', needs: '--pruner' } }));
    if (args.reduction !== undefined) problems.push(diagnostic('GC763', { option: '--reduction', arg: String(args.reduction), problem: { kind: 'without', needs: '--pruner asha' } }));
    return undefined;
  }
  const minResource = args.minResource ?? evalEvery;
  if (minResource % evalEvery !== 0) problems.push(diagnostic('GC763', { option: '--min-resource', arg: String(minResource), problem: { kind: 'rung_not_evaluated', evalEvery } }));
  const reduction = args.reduction ?? DEFAULT_REDUCTION;
  if (!Number.isInteger(reduction) || reduction < 2) problems.push(diagnostic('GC763', { option: '--reduction', arg: String(reduction), problem: { kind: 'reduction' } }));
  return { name: args.pruner, minResource, reduction, maxResource };
}
