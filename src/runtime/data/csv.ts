/**
 * CSV rows into float32 features and class ids, streamed through csv-parse.
 * A large file without quotes is cut at line starts into parts that worker
 * threads (csv_worker.ts) parse at once, each writing its rows into shared
 * arrays; a file with quotes (a quoted cell may hold a line break, so lines
 * are not records) is parsed in one stream.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parse as parseCsv } from 'csv-parse';
import type { DataValueProblem } from '../../common/diagnostics/catalogue.js';
import { fail, GraphcError, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { isInt32, type StoredRow } from './formats/shared.js';
import { cellValue, type LabelReader } from './values.js';

/** Where a table's features and label are, and how features are scaled. */
export interface CsvLayout {
  /** The file as messages name it. */
  readonly file: string;
  readonly header: readonly string[];
  readonly featureIndex: readonly number[];
  /** The class label's column; -1 for a regression dataset. */
  readonly labelIndex: number;
  /** A regression dataset's target columns. */
  readonly targetIndex?: readonly number[];
  readonly lengthIndex?: number;
  /** Features are int32: every feature cell must be an integer. */
  readonly integer?: boolean;
  /** float32(scale); 1 leaves values as they are. */
  readonly factor: number;
}

/** Stores one record's features (and targets) into `row`, and its class id and length; a bad cell is GC609 (GC616 for a non-integer where int32 is wanted) at `line`. */
export function storeRecord(layout: CsvLayout, labels: LabelReader, record: readonly string[], line: number, row: StoredRow): void {
  const { file, header, featureIndex, factor } = layout;
  const bad = (column: string, problem: DataValueProblem): never => fail('GC609', { file, place: { line }, column, problem }, { file, line });
  const notInteger = (column: string, value: string, role: string): never => fail('GC616', { file, place: { line }, column, value, role }, { file, line });
  // The first column the row lacks (or the last, for a row too long).
  if (record.length !== header.length) bad(header[Math.min(record.length, header.length - 1)]!, { kind: 'row_length', cells: record.length, expected: header.length });
  const features = row.features;
  for (let j = 0; j < featureIndex.length; j++) {
    const value = cellValue(record[featureIndex[j]!]!);
    if (typeof value !== 'number') return bad(header[featureIndex[j]!]!, value);
    if (layout.integer && !isInt32(value)) return notInteger(header[featureIndex[j]!]!, record[featureIndex[j]!]!.trim(), 'features');
    features[j] = factor === 1 ? value : value * factor;
  }
  const targets = layout.targetIndex;
  if (targets) {
    for (let j = 0; j < targets.length; j++) {
      const value = cellValue(record[targets[j]!]!);
      if (typeof value !== 'number') return bad(header[targets[j]!]!, value);
      row.targets[j] = value;
    }
  }
  if (layout.lengthIndex !== undefined) {
    const cell = record[layout.lengthIndex]!;
    const value = cellValue(cell);
    if (typeof value !== 'number') return bad(header[layout.lengthIndex]!, value);
    if (!isInt32(value)) return notInteger(header[layout.lengthIndex]!, cell.trim(), 'lengths');
    row.length = value;
  }
  if (layout.labelIndex < 0) return;
  const id = labels.read(record[layout.labelIndex]);
  if (typeof id !== 'number') return bad(header[layout.labelIndex]!, id);
  row.id = id;
}

/** A byte range of a CSV file that starts at a line start. */
export interface CsvRange {
  readonly start: number;
  /** Exclusive; undefined: to the end of the file. */
  readonly end?: number;
  /** The file's line number (1-based) of the range's first line. */
  readonly firstLine: number;
}

/**
 * Parses `range` and hands each record to `onRecord` with its line number in
 * the file (csv-parse's on_record, where the count is exact); nothing is kept.
 * The header line (line 1) is skipped.
 */
export async function parseCsvRange(path: string, file: string, range: CsvRange, onRecord: (record: string[], line: number) => void): Promise<void> {
  const stream = createReadStream(path, { start: range.start, ...(range.end !== undefined ? { end: range.end - 1 } : {}) });
  const parser = stream.pipe(
    parseCsv({
      from_line: range.firstLine === 1 ? 2 : 1,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: range.start === 0,
      on_record: (record: string[], context) => {
        onRecord(record, context.lines + range.firstLine - 1);
        return null;
      },
    }),
  );
  try {
    for await (const _ of parser) void _;
  } catch (error) {
    if (error instanceof GraphcError) throw error;
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('CSV_')) {
      const lines = (error as Error & { lines?: number }).lines;
      const line = lines !== undefined ? lines + range.firstLine - 1 : undefined;
      fail('GC608', { file, format: 'csv', readerMessage: error.message }, { file, ...(line !== undefined ? { line } : {}) });
    }
    throw error;
  } finally {
    stream.destroy();
  }
}

/** One worker's share of a file: its byte range and where its rows go. */
export interface CsvPart extends CsvRange {
  readonly rowOffset: number;
  readonly rows: number;
}

/** Files from this size are parsed by several threads (below it, starting them costs more than it saves). */
export const PARALLEL_MIN_BYTES = 16 * 2 ** 20;

/**
 * Cuts a file into about `count` parts at line starts and counts each part's
 * records (non-blank lines after the header), or returns undefined when the
 * file holds a quote character, whose cells may span lines.
 */
export function planCsvParts(path: string, size: number, count: number): CsvPart[] | undefined {
  const chunk = Buffer.alloc(4 * 2 ** 20);
  const fd = openSync(path, 'r');
  const parts: Array<{ start: number; firstLine: number; rows: number }> = [{ start: 0, firstLine: 1, rows: 0 }];
  try {
    let line = 1;
    let lineStart = 0;
    let pendingContent = false;
    for (let offset = 0; offset < size; ) {
      const read = readSync(fd, chunk, 0, chunk.length, offset);
      if (read === 0) break;
      const bytes = chunk.subarray(0, read);
      if (bytes.indexOf(34) >= 0) return undefined;
      let from = 0;
      for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, from)) {
        const length = nl - from;
        const content = pendingContent || length > 1 || (length === 1 && bytes[from] !== 13);
        if (content && line > 1) parts.at(-1)!.rows++;
        line++;
        lineStart = offset + nl + 1;
        pendingContent = false;
        from = nl + 1;
        // A new part starts at the first line start past its share of the bytes.
        if (lineStart < size && lineStart >= (size * parts.length) / count) parts.push({ start: lineStart, firstLine: line, rows: 0 });
      }
      const rest = read - from;
      if (rest > 1 || (rest === 1 && bytes[from] !== 13)) pendingContent = true;
      offset += read;
    }
    if (pendingContent && line > 1) parts.at(-1)!.rows++;
  } finally {
    closeSync(fd);
  }
  let rowOffset = 0;
  return parts.map((part, i) => {
    const next = parts[i + 1];
    const planned = { ...part, ...(next ? { end: next.start } : {}), rowOffset };
    rowOffset += part.rows;
    return planned;
  });
}

/** What a CSV worker thread is given. */
export interface CsvWorkerData {
  readonly path: string;
  readonly layout: CsvLayout;
  readonly classes: readonly string[] | number;
  readonly part: CsvPart;
  readonly features: SharedArrayBuffer;
  readonly labelIds: SharedArrayBuffer;
}

export type CsvWorkerReply = { readonly ok: true; readonly rows: number } | { readonly ok: false; readonly diagnostics?: readonly Diagnostic[]; readonly message?: string };

/** How CSV loads use threads: files from `minBytes` are split between up to `threads` workers (tests force small values). */
export interface CsvOptions {
  readonly minBytes?: number;
  readonly threads?: number;
}

/** How many threads parse a file of `size` bytes (1: the caller parses it itself). */
export function csvThreads(size: number, minBytes = PARALLEL_MIN_BYTES): number {
  if (size < minBytes) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8, Math.floor(size / Math.max(minBytes / 2, 1))));
}

/** Parses `parts` in worker threads into shared arrays of `total` rows; a bad value in any part fails as the sequential parse would. */
export async function parseCsvParallel(path: string, layout: CsvLayout, classes: readonly string[] | number, parts: readonly CsvPart[]): Promise<{ features: Float32Array; labelIds: Int32Array; count: number }> {
  const count = parts.reduce((n, p) => n + p.rows, 0);
  const width = layout.featureIndex.length;
  const features = new SharedArrayBuffer(count * width * 4);
  const labelIds = new SharedArrayBuffer(count * 4);
  const replies = await Promise.all(
    parts.map(
      (part) =>
        new Promise<CsvWorkerReply>((resolve) => {
          const data: CsvWorkerData = { path, layout, classes, part, features, labelIds };
          const worker = new Worker(new URL('../../../bin/csv-worker.js', import.meta.url), { workerData: data });
          worker.once('message', (reply: CsvWorkerReply) => resolve(reply));
          worker.once('error', (error) => resolve({ ok: false, message: error.message }));
          worker.once('exit', (code) => resolve({ ok: false, message: `a CSV worker thread exited (code ${code})` }));
        }),
    ),
  );
  // The first failing part in file order is what a sequential parse would have reported.
  for (const reply of replies) {
    if (reply.ok) continue;
    if (reply.diagnostics) throw new GraphcError(reply.diagnostics);
    throw new Error(reply.message);
  }
  return { features: new Float32Array(features), labelIds: new Int32Array(labelIds), count };
}
