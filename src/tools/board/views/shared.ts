/** What the run, compare and sweep views share: a run folder's entry, its evaluations, its reproducing command. */
import { displayPath } from '../../../common/fs.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readCheckpointHeader } from '../../../runtime/checkpoint.js';
import { MetricsTail, type Evaluation } from '../../../runtime/run_folder.js';
import { DEFINITION_FILE, SPEC_FILE } from '../../sweep/folder.js';
import { idOf, type Located } from '../paths.js';
import type { RunEntry } from '../scan.js';
import { overrides, specAllowed, specDefaults, type SpecSource } from '../specs.js';
import { skippedLineNote, type EventStream } from '../stream.js';
import { NotHere, type BoardContext } from './view.js';

/** The sweep a trial folder (sweeps/<name>/trials/<id>) belongs to. */
export function sweepOf(ctx: BoardContext, located: Located): { id: string; dir: string; source: SpecSource } | undefined {
  const dir = dirname(dirname(located.path));
  if (basename(dirname(located.path)) !== 'trials' || !existsSync(join(dir, DEFINITION_FILE))) return undefined;
  const definition = ctx.index.definition(dir);
  if (!definition) return undefined;
  return { id: idOf(located.root, dir), dir, source: { file: displayPath(join(dir, SPEC_FILE)), text: definition.spec.text } };
}

/** The spec a run was trained from. */
export function specSourceOf(ctx: BoardContext, located: Located, entry: RunEntry): SpecSource | undefined {
  const sweep = sweepOf(ctx, located);
  if (sweep) return sweep.source;
  return entry.spec !== undefined && specAllowed(entry.spec, ctx.roots.map((r) => r.real)) ? { file: entry.spec } : undefined;
}

export function runEntry(ctx: BoardContext, located: Located): RunEntry {
  const sweep = sweepOf(ctx, located);
  const entry = ctx.index.run(located.root, located.path, Date.now(), sweep ? { id: sweep.id, source: sweep.source } : undefined);
  if (!entry) throw new NotHere(located.id);
  return entry;
}

/** Every evaluation in a run's metrics.jsonl (lines that are not one skipped, and told of). */
export function readEvaluations(located: Located, shownAs: string): { evaluations: Evaluation[]; notes: string[] } {
  const chunk = new MetricsTail(located.path).read();
  return { evaluations: chunk.evaluations, notes: chunk.skipped.map((s) => skippedLineNote(shownAs, s)) };
}

/** The run folder's own files (for the page's links to /files/<id>/<name>). */
export function folderFiles(located: Located): { name: string; bytes: number }[] {
  try {
    return readdirSync(located.path, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => ({ name: e.name, bytes: statSync(join(located.path, e.name)).size }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `graphc run` command line that trains the run again: its spec, changed params, seed and schedule. */
export function reproduceCommand(ctx: BoardContext, located: Located, entry: RunEntry): string | undefined {
  const source = specSourceOf(ctx, located, entry);
  // A spec the board does not open is still named; its params are then all given.
  const file = source?.file ?? entry.spec;
  if (file === undefined) return undefined;
  const header = readCheckpointHeader(located.path);
  const set = entry.params ? overrides(entry.params, source ? specDefaults(source) : undefined) : [];
  const args = ['graphc', 'run', file, ...set.flatMap((s) => ['--set', s])];
  if (entry.seed !== undefined) args.push('--seed', String(entry.seed));
  const schedule = header?.schedule;
  if (schedule) {
    args.push('--steps', String(schedule.steps), '--batch-size', String(schedule.batchSize), '--eval-every', String(schedule.evalEvery), '--eval-batches', String(schedule.evalBatches));
  } else if (entry.totalSteps !== undefined) {
    args.push('--steps', String(entry.totalSteps));
  }
  if (entry.backend !== undefined) args.push('--backend', entry.backend);
  return args.map(quote).join(' ');
}

/** A check that sends `event` with what `current()` gives whenever that differs from what it sent last. */
export function sendWhenChanged(events: EventStream, event: string, current: () => unknown): () => void {
  let last = '';
  return () => {
    const value = current();
    const text = JSON.stringify(value);
    if (text === last) return;
    last = text;
    events.send(event, value);
  };
}
