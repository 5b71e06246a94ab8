/**
 * What travels through the queue: a job is one trial as data — the spec's
 * YAML text, the trial and its --set overrides, never code — and a result is
 * the finished trial's summary and metrics, kept in Redis so that a submitter
 * that does not share the workers' store can still write the run folders.
 */
import type { Evaluation } from '../../../runtime/run_folder.js';
import { diagnostic, type Diagnostic } from '../../../common/diagnostics/diagnostic.js';
import type { Code, ParamsOf } from '../../../common/diagnostics/catalogue.js';
import type { Trial, TrialSchedule } from '../definition.js';
import type { JobSearch } from './search.js';

/** A job's data (its id is the trial's id). */
export interface TrialJob {
  readonly graphcVersion: string;
  readonly sweep: string;
  /** The spec's text, as the sweep definition holds it. */
  readonly specText: string;
  readonly trial: Trial;
  /** --set arguments: the sweep's shared values, then the trial's. */
  readonly overrides: readonly string[];
  readonly schedule: TrialSchedule;
  /** A searching sweep's: the pruner the worker asks after each evaluation. */
  readonly search?: JobSearch;
}

/** A job's progress (job.updateProgress), after each evaluation. */
export interface TrialProgress {
  readonly step: number;
  readonly test: Readonly<Record<string, number>>;
  readonly worker: string;
}

/** A finished trial, as the results hash holds it. */
export interface TrialResult {
  readonly trial: string;
  readonly sweep: string;
  readonly worker: string;
  /** summary.json's content. */
  readonly summary: Readonly<Record<string, unknown>>;
  readonly metrics: readonly Evaluation[];
}

/** A live worker, as its heartbeat key holds it. */
export interface WorkerInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  readonly graphcVersion: string;
  /** Trial ids it runs now. */
  readonly active: readonly string[];
}

/** Default limit on a job's size: a spec's text is a few kilobytes. */
export const MAX_JOB_BYTES = 1_000_000;

/** A diagnostic as one line of text: a failed job's reason. */
export function reasonOf<C extends Code>(code: C, params: ParamsOf<C>): string {
  return lineOf(diagnostic(code, params));
}

export function lineOf(d: Diagnostic): string {
  return `${d.severity} ${d.code}: ${d.message}`;
}

/** The job's data checked field by field: the name of the first field that is not as a trial job has it, else undefined. */
export function malformedField(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'trial';
  const d = data as Record<string, unknown>;
  if (typeof d['graphcVersion'] !== 'string') return 'graphcVersion';
  if (typeof d['sweep'] !== 'string' || !/^[A-Za-z0-9._-]+$/.test(d['sweep'])) return 'sweep';
  if (typeof d['specText'] !== 'string') return 'specText';
  const trial = d['trial'] as Record<string, unknown> | undefined;
  if (typeof trial !== 'object' || trial === null || typeof trial['id'] !== 'string' || !/^t[0-9a-f]+$/.test(trial['id']) || typeof trial['seed'] !== 'number') {
    return 'trial';
  }
  if (!Array.isArray(d['overrides']) || !d['overrides'].every((o) => typeof o === 'string')) return 'overrides';
  if (typeof d['schedule'] !== 'object' || d['schedule'] === null) return 'schedule';
  if (d['search'] !== undefined && (typeof d['search'] !== 'object' || d['search'] === null || typeof (d['search'] as Record<string, unknown>)['metric'] !== 'string')) return 'search';
  return undefined;
}
