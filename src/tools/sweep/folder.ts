/**
 * A sweep folder, sweeps/<name>/: sweep.json (the definition), spec.yaml (the
 * spec's text the trials run), trials/<trial id>/ (one run folder each, as
 * `graphc run --out` writes it, plus failure.json when a trial failed),
 * results.csv, curves.svg and params.svg.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointPath } from '../../runtime/checkpoint.js';
import { readSummary, SUMMARY_FILE } from '../../runtime/run_folder.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';
import type { SweepDefinition } from './definition.js';

export const SWEEPS_DIR = 'sweeps';
export const DEFINITION_FILE = 'sweep.json';
export const SPEC_FILE = 'spec.yaml';
export const FAILURE_FILE = 'failure.json';
/** In a trial folder: the pruner stopped the trial (at the step it names); removed when it is promoted. */
export const PRUNED_FILE = 'pruned.json';

export function sweepFolder(name: string, root = SWEEPS_DIR): string {
  return join(root, name);
}

export function trialFolder(sweepDir: string, trialId: string): string {
  return join(sweepDir, 'trials', trialId);
}

export function readDefinition(dir: string): SweepDefinition {
  let text: string;
  try {
    text = readFileSync(join(dir, DEFINITION_FILE), 'utf8');
  } catch {
    return fail('GC761', { dir });
  }
  return JSON.parse(text) as SweepDefinition;
}

/** Writes sweep.json and spec.yaml (once: a sweep's spec text never changes). */
export function writeDefinition(dir: string, definition: SweepDefinition): void {
  writeFileAtomic(join(dir, DEFINITION_FILE), `${JSON.stringify(definition, null, 2)}\n`);
  if (!existsSync(join(dir, SPEC_FILE))) writeFileAtomic(join(dir, SPEC_FILE), definition.spec.text);
}

export type TrialState =
  | { readonly state: 'pending' }
  /** Stopped with a checkpoint: the next run resumes it. */
  | { readonly state: 'interrupted' }
  | { readonly state: 'done' }
  /** Stopped by the pruner at `step`, with a checkpoint: resumed only if promoted. */
  | { readonly state: 'pruned'; readonly step: number }
  | { readonly state: 'failed'; readonly reason: string };

/** Where a trial stands, from its run folder alone. */
export function trialState(dir: string): TrialState {
  if (existsSync(join(dir, SUMMARY_FILE)) && readSummary(dir)?.interrupted === false) return { state: 'done' };
  if (existsSync(join(dir, FAILURE_FILE))) {
    const failure = JSON.parse(readFileSync(join(dir, FAILURE_FILE), 'utf8')) as { reason?: unknown };
    return { state: 'failed', reason: typeof failure.reason === 'string' ? failure.reason : 'unknown' };
  }
  if (existsSync(join(dir, PRUNED_FILE))) {
    const pruned = JSON.parse(readFileSync(join(dir, PRUNED_FILE), 'utf8')) as { step?: unknown };
    return { state: 'pruned', step: typeof pruned.step === 'number' ? pruned.step : 0 };
  }
  return existsSync(checkpointPath(dir)) ? { state: 'interrupted' } : { state: 'pending' };
}

export function recordFailure(dir: string, reason: string): void {
  writeFileAtomic(join(dir, FAILURE_FILE), `${JSON.stringify({ reason }, null, 2)}\n`);
}

/** A failed trial is tried again when the sweep runs again: its failure is forgotten first. */
export function clearFailure(dir: string): void {
  rmSync(join(dir, FAILURE_FILE), { force: true });
}

export function recordPruned(dir: string, step: number): void {
  writeFileAtomic(join(dir, PRUNED_FILE), `${JSON.stringify({ step }, null, 2)}\n`);
}

/** A promoted trial resumes: its pruned mark goes first. */
export function clearPruned(dir: string): void {
  rmSync(join(dir, PRUNED_FILE), { force: true });
}
