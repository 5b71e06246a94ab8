/**
 * A run folder: what a training run leaves behind, in one format —
 * metrics.jsonl (one evaluation a line, rewritten after each), summary.json
 * (when the run ends) and the checkpoint (checkpoint.ts). The trainer writes
 * it; plot, eval, export and any tool that compares runs read it here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../common/diagnostics/diagnostic.js';
import { writeFailure, writeFileAtomic } from '../common/fs.js';

export const METRICS_FILE = 'metrics.jsonl';
export const SUMMARY_FILE = 'summary.json';

/** One evaluation: the train batch's metrics and the test metrics at a step. */
export interface Evaluation {
  readonly step: number;
  readonly train: Readonly<Record<string, number>>;
  readonly test: Readonly<Record<string, number>>;
  /** Seconds since the previous evaluation (the reference notebook's "pass"). */
  readonly elapsed: number;
}

/** summary.json: what ran, where, and how it ended. */
export interface RunSummary {
  readonly model: string;
  /** The spec file the model was compiled from. */
  readonly spec: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly backend: string;
  readonly device: string;
  /** The machine's host name. */
  readonly host: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly seed: number;
  readonly steps: number;
  readonly interrupted: boolean;
  readonly wall_seconds: number;
  readonly final: Evaluation | null;
}

export function writeMetrics(dir: string, evaluations: readonly Evaluation[]): void {
  writeRunFile(join(dir, METRICS_FILE), evaluations.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

export function writeSummary(dir: string, summary: RunSummary): void {
  writeRunFile(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
}

/** An atomic write whose failure (a full disk included) is GC706 naming the file; the previous version stays. */
function writeRunFile(path: string, text: string): void {
  try {
    writeFileAtomic(path, text);
  } catch (error) {
    fail('GC706', writeFailure(path, Buffer.byteLength(text), error));
  }
}

/** The evaluations in DIR/metrics.jsonl: GC750 when there is none, GC751 naming the line that is not one. */
export function readMetrics(dir: string): Evaluation[] {
  const path = join(dir, METRICS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return fail('GC750', { dir });
  }
  const evaluations: Evaluation[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return fail('GC751', { file: path, line: i + 1, problem: 'not_json' });
    }
    if (!isEvaluation(value)) return fail('GC751', { file: path, line: i + 1, problem: 'not_evaluation' });
    evaluations.push(value);
  }
  return evaluations;
}

/** DIR/summary.json's fields that a reader can rely on, or undefined while the run has none (it is still running). */
export function readSummary(dir: string): Partial<RunSummary> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  return {
    ...(typeof value['model'] === 'string' ? { model: value['model'] } : {}),
    ...(typeof value['spec'] === 'string' ? { spec: value['spec'] } : {}),
    ...(isRecord(value['params']) ? { params: value['params'] } : {}),
    ...(typeof value['backend'] === 'string' ? { backend: value['backend'] } : {}),
    ...(typeof value['host'] === 'string' ? { host: value['host'] } : {}),
    ...(typeof value['seed'] === 'number' ? { seed: value['seed'] } : {}),
    ...(typeof value['steps'] === 'number' ? { steps: value['steps'] } : {}),
    ...(typeof value['interrupted'] === 'boolean' ? { interrupted: value['interrupted'] } : {}),
    ...(typeof value['wall_seconds'] === 'number' ? { wall_seconds: value['wall_seconds'] } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEvaluation(value: unknown): value is Evaluation {
  if (!isRecord(value)) return false;
  const numbers = (v: unknown): boolean => isRecord(v) && Object.values(v).every((x) => typeof x === 'number' || x === null);
  return typeof value['step'] === 'number' && numbers(value['train']) && numbers(value['test']);
}
