/** What `graphc eval` leaves in a run folder: eval.json and, for a classifier, confusion.svg beside curves.svg. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/fs.js';
import { CONFUSION_FILE, renderConfusion } from '../plot/confusion.js';
import type { EvaluationReport } from './report.js';

export const EVAL_FILE = 'eval.json';

/** eval.json: what `graphc eval --format json` prints. */
export interface EvaluationRecord {
  readonly dir: string;
  readonly model: string;
  readonly step: number;
  /** Which of the run's checkpoints was evaluated, where the run keeps several (best.gck beside checkpoint.gck). */
  readonly checkpoint?: string;
  readonly examples: number;
  /** The spec's metrics over the whole test set. */
  readonly test: Record<string, number>;
  /** The node whose values the report counts. */
  readonly node: string;
  readonly report: EvaluationReport;
}

/** Writes eval.json (and confusion.svg for a classification report) into the run folder; returns the files' names. */
export async function saveEvaluation(dir: string, record: EvaluationRecord): Promise<string[]> {
  writeFileAtomic(join(dir, EVAL_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (record.report.kind !== 'classification') return [EVAL_FILE];
  writeFileAtomic(join(dir, CONFUSION_FILE), await renderConfusion(record.report, `${record.model} at step ${record.step}: confusion matrix`));
  return [EVAL_FILE, CONFUSION_FILE];
}

/** A run folder's eval.json, or undefined when `graphc eval` has not run on it (or its file is not one). */
export function readEvaluation(dir: string): EvaluationRecord | undefined {
  const path = join(dir, EVAL_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<EvaluationRecord> | null;
    const kind = record?.report?.kind;
    return kind === 'classification' || kind === 'regression' ? (record as EvaluationRecord) : undefined;
  } catch {
    return undefined;
  }
}
