/**
 * A run folder: what a training run leaves behind, in one format —
 * metrics.jsonl (one evaluation a line, rewritten after each), summary.json
 * (when the run ends) and the checkpoint (checkpoint.ts). The trainer writes
 * it; plot, eval, export and any tool that compares runs read it here.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFileDigest } from './data/load.js';
import { fail } from '../common/diagnostics/diagnostic.js';
import { writeFailure, writeFileAtomic } from '../common/fs.js';

export const METRICS_FILE = 'metrics.jsonl';
export const SUMMARY_FILE = 'summary.json';
/** The checkpoint of the best evaluation, kept beside checkpoint.gck by a run with early stopping. */
export const BEST_CHECKPOINT_FILE = 'best.gck';
const LAST_CHECKPOINT_FILE = 'checkpoint.gck';

/** Which checkpoint a command reads: best.gck or checkpoint.gck (the last). */
export type CheckpointChoice = 'best' | 'last';

/**
 * The checkpoint file to read: the one asked for, or by default best.gck
 * when the run kept one, else the last. GC724 when best is asked for and
 * there is none.
 */
export function chooseCheckpoint(dir: string, asked: CheckpointChoice | undefined): { readonly which: CheckpointChoice; readonly file: string } {
  const hasBest = existsSync(join(dir, BEST_CHECKPOINT_FILE));
  if (asked === 'best' && !hasBest) fail('GC724', { dir, which: 'best' });
  const which = asked ?? (hasBest ? 'best' : 'last');
  return { which, file: which === 'best' ? BEST_CHECKPOINT_FILE : LAST_CHECKPOINT_FILE };
}

/** One evaluation: the train batch's metrics and the test metrics at a step. */
export interface Evaluation {
  readonly step: number;
  readonly train: Readonly<Record<string, number>>;
  readonly test: Readonly<Record<string, number>>;
  /** The metrics over the whole validation split, when something watches or logs them (a validation.* monitor or log field). */
  readonly validation?: Readonly<Record<string, number>>;
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
  /** The data files the run read: path, role, size and SHA-256 (runtime/data/load.ts). */
  readonly data?: { readonly files: readonly DataFileDigest[] };
  /** With early stopping: the best evaluation's step and monitored value (its checkpoint is best.gck), and the step the run stopped at early, if it did. */
  readonly best?: { readonly step: number; readonly monitor: string; readonly value: number };
  readonly stopped_early?: number;
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

/** DIR/summary.json whole, every field as written (for tools that show it all); undefined while there is none. */
export function readSummaryRecord(dir: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEvaluation(value: unknown): value is Evaluation {
  if (!isRecord(value)) return false;
  const numbers = (v: unknown): boolean => isRecord(v) && Object.values(v).every((x) => typeof x === 'number' || x === null);
  return typeof value['step'] === 'number' && numbers(value['train']) && numbers(value['test']) && (value['validation'] === undefined || numbers(value['validation']));
}

/** A line of metrics.jsonl that a tail skipped, and why. */
export interface SkippedMetricsLine {
  readonly line: number;
  readonly problem: 'not_json' | 'not_evaluation' | 'too_long';
  /** The line's length, for 'too_long'. */
  readonly bytes?: number;
}

/** What one read of a growing metrics.jsonl found since the previous one. */
export interface MetricsChunk {
  /** The file is not there (not written yet, or its folder was deleted). */
  readonly missing: boolean;
  /** The file shrank (rewritten from the start): `evaluations` are all of them, not an addition. */
  readonly restarted: boolean;
  readonly evaluations: Evaluation[];
  readonly skipped: SkippedMetricsLine[];
}

/** Lines longer than this are skipped whole, without being held in memory. */
export const MAX_METRICS_LINE_BYTES = 1 << 20;

/**
 * Reads a metrics.jsonl that a run is still writing, a piece at a time: each
 * read() returns the evaluations completed since the last one. A line without
 * its newline yet waits for the next read; a line that is not an evaluation,
 * or is longer than `maxLineBytes`, is skipped and reported. The trainer
 * rewrites the file whole (atomically) with one more line each time, so a
 * byte offset stays valid across rewrites; a shorter file starts over.
 */
export class MetricsTail {
  private offset = 0;
  private line = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line already known to be too long: its bytes are counted, not kept. */
  private overlong = false;

  constructor(
    readonly dir: string,
    private readonly maxLineBytes = MAX_METRICS_LINE_BYTES,
  ) {}

  read(): MetricsChunk {
    const path = join(this.dir, METRICS_FILE);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return { missing: true, restarted: false, evaluations: [], skipped: [] };
    }
    const evaluations: Evaluation[] = [];
    const skipped: SkippedMetricsLine[] = [];
    let restarted = false;
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0;
        this.line = 0;
        this.pending = [];
        this.pendingBytes = 0;
        this.overlong = false;
        restarted = true;
      }
      const buffer = Buffer.alloc(64 * 1024);
      while (this.offset < size) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.take(buffer.subarray(0, n), evaluations, skipped);
      }
    } finally {
      closeSync(fd);
    }
    return { missing: false, restarted, evaluations, skipped };
  }

  private take(bytes: Buffer, evaluations: Evaluation[], skipped: SkippedMetricsLine[]): void {
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
      this.line++;
      const piece = bytes.subarray(start, nl);
      start = nl + 1;
      if (this.overlong || this.pendingBytes + piece.length > this.maxLineBytes) {
        skipped.push({ line: this.line, problem: 'too_long', bytes: this.pendingBytes + piece.length });
      } else {
        const text = Buffer.concat([...this.pending, piece]).toString('utf8');
        if (text.trim() !== '') {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            value = undefined;
            skipped.push({ line: this.line, problem: 'not_json' });
          }
          if (value !== undefined) {
            if (isEvaluation(value)) evaluations.push(value);
            else skipped.push({ line: this.line, problem: 'not_evaluation' });
          }
        }
      }
      this.pending = [];
      this.pendingBytes = 0;
      this.overlong = false;
    }
    const rest = bytes.subarray(start);
    if (rest.length === 0) return;
    if (this.overlong || this.pendingBytes + rest.length > this.maxLineBytes) {
      // Count the line's bytes but drop them: a runaway line must not grow the reader's memory.
      this.overlong = true;
      this.pending = [];
    } else {
      this.pending.push(Buffer.from(rest));
    }
    this.pendingBytes += rest.length;
  }
}

/**
 * The last evaluation in DIR/metrics.jsonl, reading only the file's end (at
 * most `window` bytes), so that indexing many runs stays cheap; undefined when
 * there is none or the last line is not one.
 */
export function readLastEvaluation(dir: string, window = 64 * 1024): Evaluation | undefined {
  let fd: number;
  try {
    fd = openSync(join(dir, METRICS_FILE), 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, window);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    // A window that starts mid-file starts mid-line, and a line without its newline is still being written.
    const whole = lines.slice(length < size ? 1 : 0, -1);
    for (const line of whole.reverse()) {
      if (line.trim() === '') continue;
      try {
        const value: unknown = JSON.parse(line);
        return isEvaluation(value) ? value : undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
