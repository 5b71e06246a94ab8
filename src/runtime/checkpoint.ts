/**
 * Checkpoints: everything a run needs to continue exactly where it stopped —
 * weights, optimizer state, step, the data order and every random stream —
 * in one file, written atomically (a temporary file renamed over the old one,
 * so a crash mid-write leaves the previous checkpoint intact). The bytes'
 * layout is checkpoint_format.ts (docs/checkpoint-format.md).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../common/diagnostics/diagnostic.js';
import { describeFsError, writeFailure, writeFileAtomic } from '../common/fs.js';
import { decodeCheckpoint, encodeCheckpoint, MAGIC, type Checkpoint, type CheckpointHeader } from './checkpoint_format.js';

export { CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint, PayloadBuilder, tensorValues } from './checkpoint_format.js';
export type { Checkpoint, CheckpointHeader, PendingEvaluation, TensorEntry } from './checkpoint_format.js';

export const CHECKPOINT_FILE = 'checkpoint.gck';

/** DIR/checkpoint.gck, or DIR/<file> for another checkpoint of the run (best.gck). */
export function checkpointPath(dir: string, file: string = CHECKPOINT_FILE): string {
  return join(dir, file);
}

export function writeCheckpoint(dir: string, checkpoint: Checkpoint, file: string = CHECKPOINT_FILE): void {
  writeCheckpointFile(checkpointPath(dir, file), checkpoint);
}

/** Writes a checkpoint to a file of any name (graphc import's `<spec>.gck`). */
export function writeCheckpointFile(path: string, checkpoint: Checkpoint): void {
  const bytes = encodeCheckpoint(checkpoint);
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
  return decodeCheckpoint(bytes, file);
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
