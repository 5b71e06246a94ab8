/**
 * Checkpoints: everything a run needs to continue exactly where it stopped —
 * weights, optimizer state, step, the data order and every random stream —
 * in one file, written atomically (a temporary file renamed over the old one,
 * so a crash mid-write leaves the previous checkpoint intact).
 *
 * Format (docs/checkpoint-format.md): the 8 bytes "GRAPHCK1", a little-endian
 * uint32 header length, the UTF-8 JSON header, zero padding to a multiple of
 * 4 bytes, then the float32 little-endian payload that the header's offsets
 * (in floats) point into.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointFileProblem } from '../common/diagnostics/catalogue.js';
import { fail } from '../common/diagnostics/diagnostic.js';
import { describeFsError, writeFailure, writeFileAtomic } from '../common/fs.js';
import type { DataSetState } from './data/dataset.js';
import type { EarlyStoppingState, PlateauState } from './monitor.js';
import type { RandomState } from './random.js';

export const CHECKPOINT_FILE = 'checkpoint.gck';
const MAGIC = 'GRAPHCK1';
export const CHECKPOINT_VERSION = 1;

export interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset into the payload, in float32 elements. */
  readonly offset: number;
}

export interface CheckpointHeader {
  readonly format: 'graphc-checkpoint';
  readonly version: number;
  readonly model: string;
  readonly source: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly seed: number;
  /** Training steps completed. */
  readonly step: number;
  /** The schedule the run was started with, so a resumed run continues it. */
  readonly schedule: { readonly steps: number; readonly batchSize: number; readonly evalEvery: number; readonly evalBatches: number; readonly evalBatchSize: number };
  readonly variables: readonly TensorEntry[];
  /** Non-trainable state (batch_norm's moving statistics) by name, like `variables`; absent when the model has none. */
  readonly state?: readonly TensorEntry[];
  /** Variables the optimizer updates (those the loss reaches), by name, and its slots. */
  readonly optimizer: { readonly type: string; readonly step: number; readonly variables: readonly string[]; readonly slots: readonly TensorEntry[] };
  readonly random: { readonly dropout: RandomState; readonly data: RandomState };
  readonly data: { readonly train: DataSetState; readonly test: DataSetState };
  /** Every evaluation so far, so metrics.jsonl continues seamlessly. */
  readonly evaluations: readonly unknown[];
  /**
   * What computed the run: its backend and device, and the worker threads that
   * split each batch. A resumed run uses the same backend and worker count
   * unless told otherwise, since another one sums in another order and the
   * metrics would then differ in their last bits (absent in older checkpoints).
   */
  readonly computed?: { readonly backend: string; readonly device: string; readonly workers: number };
  /** Present when a stop request dropped the evaluation after `step`: the resumed run evaluates first (the test order is as it was before). */
  readonly pendingEvaluation?: PendingEvaluation;
  /**
   * Present in a checkpoint `graphc import` wrote: weights (and batch_norm
   * state) from another framework's model, for `graphc run --init`; its
   * schedule, optimizer, random and data fields are placeholders, not a run's.
   */
  readonly imported?: { readonly format: string; readonly from: string };
  /** reduce_on_plateau's and early stopping's state (monitor.ts), when the spec has them. */
  readonly monitors?: { readonly plateau?: PlateauState; readonly earlyStopping?: EarlyStoppingState };
}

/** An evaluation step's train metrics, waiting for the evaluation a stop request dropped. */
export interface PendingEvaluation {
  readonly step: number;
  readonly train: Readonly<Record<string, number>>;
  /** Seconds of the pass before the evaluation. */
  readonly elapsed: number;
}

export interface Checkpoint {
  readonly header: CheckpointHeader;
  readonly payload: Float32Array;
}

/** Reads a named tensor's values out of a checkpoint. */
export function tensorValues(checkpoint: Checkpoint, entry: TensorEntry): Float32Array {
  const size = entry.shape.reduce((a, b) => a * b, 1);
  return checkpoint.payload.subarray(entry.offset, entry.offset + size);
}

/** Lays out named arrays in one payload and returns their entries. */
export class PayloadBuilder {
  private readonly chunks: Float32Array[] = [];
  private size = 0;

  add(name: string, shape: readonly number[], values: Float32Array): TensorEntry {
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected) throw new Error(`checkpoint: '${name}' has ${values.length} values for shape [${shape.join(', ')}]`);
    const entry = { name, shape: [...shape], offset: this.size };
    this.chunks.push(values);
    this.size += values.length;
    return entry;
  }

  build(): Float32Array {
    const payload = new Float32Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      payload.set(chunk, at);
      at += chunk.length;
    }
    return payload;
  }
}

/** DIR/checkpoint.gck, or DIR/<file> for another checkpoint of the run (best.gck). */
export function checkpointPath(dir: string, file: string = CHECKPOINT_FILE): string {
  return join(dir, file);
}

export function writeCheckpoint(dir: string, checkpoint: Checkpoint, file: string = CHECKPOINT_FILE): void {
  writeCheckpointFile(checkpointPath(dir, file), checkpoint);
}

/** Writes a checkpoint to a file of any name (graphc import's `<spec>.gck`). */
export function writeCheckpointFile(path: string, checkpoint: Checkpoint): void {
  const header = Buffer.from(JSON.stringify(checkpoint.header), 'utf8');
  const padded = Math.ceil((12 + header.length) / 4) * 4;
  const bytes = Buffer.alloc(padded + checkpoint.payload.byteLength);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(header.length, 8);
  header.copy(bytes, 12);
  const payload = new Uint8Array(checkpoint.payload.buffer, checkpoint.payload.byteOffset, checkpoint.payload.byteLength);
  // Float32Array is host-endian; every platform Node supports here is little-endian.
  bytes.set(payload, padded);
  try {
    writeFileAtomic(path, bytes);
  } catch (error) {
    fail('GC706', writeFailure(path, bytes.length, error));
  }
}

export function readCheckpoint(dir: string, name: string = CHECKPOINT_FILE): Checkpoint {
  return readCheckpointFile(checkpointPath(dir, name));
}

/** Reads a checkpoint file of any name (a run's checkpoint.gck, best.gck, or graphc import's `<spec>.gck`). */
export function readCheckpointFile(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return fail('GC707', { file, kind: 'unreadable', fsError: describeFsError(error) }, { file });
  }
  const corrupt = (problem: CheckpointFileProblem): never => fail('GC707', { file, ...problem }, { file });
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) corrupt({ kind: 'bad_magic' });
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) corrupt({ kind: 'truncated_header' });
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as CheckpointHeader;
  } catch {
    return corrupt({ kind: 'header_not_json' });
  }
  if (header.format !== 'graphc-checkpoint') corrupt({ kind: 'not_a_header' });
  if (header.version !== CHECKPOINT_VERSION) corrupt({ kind: 'version', found: String(header.version), supported: CHECKPOINT_VERSION });
  const start = Math.ceil((12 + headerLength) / 4) * 4;
  const payloadBytes = bytes.length - start;
  if (payloadBytes < 0 || payloadBytes % 4 !== 0) corrupt({ kind: 'truncated_payload' });
  const payload = new Float32Array(payloadBytes / 4);
  new Uint8Array(payload.buffer).set(bytes.subarray(start));
  for (const entry of [...header.variables, ...(header.state ?? []), ...header.optimizer.slots]) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (!(entry.offset >= 0 && entry.offset + size <= payload.length)) corrupt({ kind: 'outside_payload', entry: entry.name });
  }
  return { header, payload };
}

/**
 * A checkpoint's header alone (model, params, step, schedule), read without
 * its payload: cheap enough to call for every run in a folder. Undefined when
 * the file is missing or not a checkpoint (never throws).
 */
export function readCheckpointHeader(dir: string, maxHeaderBytes = 16 * 1024 * 1024): CheckpointHeader | undefined {
  let fd: number;
  try {
    fd = openSync(checkpointPath(dir), 'r');
  } catch {
    return undefined;
  }
  try {
    const start = Buffer.alloc(12);
    if (readSync(fd, start, 0, 12, 0) < 12 || start.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const length = start.readUInt32LE(8);
    if (length > maxHeaderBytes) return undefined;
    const bytes = Buffer.alloc(length);
    if (readSync(fd, bytes, 0, length, 12) < length) return undefined;
    const header = JSON.parse(bytes.toString('utf8')) as CheckpointHeader;
    return header.format === 'graphc-checkpoint' ? header : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
