/** Helpers the formats share: row storage, table columns, whole-file reads and how files are named in messages. */
import { readFileSync, statSync } from 'node:fs';
import { selectColumns } from '../../../common/data/columns.js';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import { describeFsError, displayPath } from '../../../common/fs.js';
import type { FileDatasetConfig } from '../config.js';

/** float32 storage that grows as rows arrive, starting from an estimate of the row count. */
export class GrowingRows {
  private data: Float32Array;
  private ids: Int32Array;
  count = 0;

  constructor(
    private readonly width: number,
    estimate: number,
  ) {
    const rows = Math.max(16, Math.ceil(estimate));
    this.data = new Float32Array(rows * width);
    this.ids = new Int32Array(rows);
  }

  /** The next row's features, to be filled in place. */
  next(): Float32Array {
    if ((this.count + 1) * this.width > this.data.length) {
      const rows = Math.ceil(this.ids.length * 1.25) + 16;
      const data = new Float32Array(rows * this.width);
      data.set(this.data);
      this.data = data;
      const ids = new Int32Array(rows);
      ids.set(this.ids);
      this.ids = ids;
    }
    return this.data.subarray(this.count * this.width, (this.count + 1) * this.width);
  }

  push(labelId: number): void {
    this.ids[this.count] = labelId;
    this.count++;
  }

  /** Exactly `count` rows; the spare capacity is copied away only when it is large (a copy would briefly double the memory). */
  finish(): { features: Float32Array; labelIds: Int32Array } {
    const used = this.count * this.width;
    const tight = this.data.length <= used * 1.25 + this.width * 16;
    return {
      features: tight ? this.data.subarray(0, used) : this.data.slice(0, used),
      labelIds: this.ids.slice(0, this.count),
    };
  }
}

/** The positions of the feature columns and of the label column in a table's header. */
export function tableColumns(file: string, header: readonly string[], config: FileDatasetConfig): { featureIndex: number[]; labelIndex: number } {
  const label = config.label.column!;
  const missing = (column: string | number): never => fail('GC607', { file, column }, { file });
  const labelIndex = header.indexOf(label);
  if (labelIndex < 0) missing(label);
  const names = selectColumns(header, label, config.features, missing);
  return { featureIndex: names.map((n) => header.indexOf(n)), labelIndex };
}

export function readWhole(path: string): ArrayBuffer {
  try {
    const buffer = readFileSync(path);
    // A fresh, aligned ArrayBuffer: Node may hand out a slice of a shared pool.
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  } catch (error) {
    const file = displayPath(path);
    fail('GC601', { file, reason: 'fs', fsError: describeFsError(error) }, { file });
  }
}

/** The file's size in bytes; a missing file is GC601. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    const file = displayPath(path);
    fail('GC601', { file, reason: 'fs', fsError: describeFsError(error) }, { file });
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}


