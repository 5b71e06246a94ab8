/** Helpers the formats share: row storage, table columns, whole-file reads and how files are named in messages. */
import { readFileSync, statSync } from 'node:fs';
import { selectColumns } from '../../../common/data/columns.js';
import { fail } from '../../../common/diagnostics/diagnostic.js';
import { describeFsError, displayPath } from '../../../common/fs.js';
import { labelColumns, type FileDatasetConfig } from '../config.js';

/** One table row as it is stored: views of its place in the arrays, and its class id and length once read. */
export interface StoredRow {
  features: Float32Array | Int32Array;
  targets: Float32Array;
  id: number;
  length: number;
}

/** Typed storage that grows as rows arrive, starting from an estimate of the row count. */
export class GrowingRows {
  private data: Float32Array | Int32Array;
  private ids: Int32Array;
  private targets: Float32Array;
  private lengths: Int32Array;
  private readonly row: StoredRow;
  count = 0;

  constructor(
    private readonly width: number,
    estimate: number,
    private readonly layout: { readonly integer?: boolean; readonly targets?: number; readonly lengths?: boolean } = {},
  ) {
    const rows = Math.max(16, Math.ceil(estimate));
    this.data = layout.integer ? new Int32Array(rows * width) : new Float32Array(rows * width);
    this.ids = new Int32Array(rows);
    this.targets = new Float32Array(rows * (layout.targets ?? 0));
    this.lengths = new Int32Array(layout.lengths ? rows : 0);
    this.row = { features: this.data.subarray(0, 0), targets: this.targets.subarray(0, 0), id: -1, length: 0 };
  }

  /** The next row, to be filled in place. */
  next(): StoredRow {
    if ((this.count + 1) * this.width > this.data.length || this.count >= this.ids.length) {
      const rows = Math.ceil(this.ids.length * 1.25) + 16;
      this.data = grow(this.data, rows * this.width);
      this.ids = grow(this.ids, rows);
      this.targets = grow(this.targets, rows * (this.layout.targets ?? 0));
      if (this.layout.lengths) this.lengths = grow(this.lengths, rows);
    }
    const k = this.layout.targets ?? 0;
    this.row.features = this.data.subarray(this.count * this.width, (this.count + 1) * this.width);
    this.row.targets = this.targets.subarray(this.count * k, (this.count + 1) * k);
    this.row.id = -1;
    this.row.length = 0;
    return this.row;
  }

  /** Keeps the row `next()` gave, once it is filled. */
  push(): void {
    this.ids[this.count] = this.row.id;
    if (this.layout.lengths) this.lengths[this.count] = this.row.length;
    this.count++;
  }

  /** Exactly `count` rows; the spare capacity is copied away only when it is large (a copy would briefly double the memory). */
  finish(): { features: Float32Array | Int32Array; labelIds: Int32Array; targets?: Float32Array; lengths?: Int32Array } {
    const used = this.count * this.width;
    const tight = this.data.length <= used * 1.25 + this.width * 16;
    const k = this.layout.targets ?? 0;
    return {
      features: tight ? this.data.subarray(0, used) : this.data.slice(0, used),
      labelIds: this.ids.slice(0, this.count),
      ...(this.layout.targets !== undefined ? { targets: this.targets.slice(0, this.count * k) } : {}),
      ...(this.layout.lengths ? { lengths: this.lengths.slice(0, this.count) } : {}),
    };
  }
}

function grow<T extends Float32Array | Int32Array>(array: T, length: number): T {
  const bigger = (array instanceof Int32Array ? new Int32Array(length) : new Float32Array(length)) as T;
  bigger.set(array);
  return bigger;
}

/** Where a table's parts are: feature columns, the class label's or the targets', the lengths'. */
export interface TableColumns {
  readonly featureIndex: number[];
  /** The class label's column; -1 for a regression dataset. */
  readonly labelIndex: number;
  /** The regression targets' columns (none for a classification dataset). */
  readonly targetIndex: number[];
  readonly lengthIndex?: number;
}

/** The positions of the feature, label (or target) and lengths columns in a table's header. */
export function tableColumns(file: string, header: readonly string[], config: FileDatasetConfig): TableColumns {
  const labels = labelColumns(config);
  const missing = (column: string | number): never => fail('GC607', { file, column }, { file });
  const index = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) missing(name);
    return i;
  };
  const labelIndexes = labels.map(index);
  const lengths = config.lengths?.column;
  const lengthIndex = lengths !== undefined ? index(lengths) : undefined;
  const names = selectColumns(header, [...labels, ...(lengths !== undefined ? [lengths] : [])], config.features, missing);
  const classified = config.label.classes !== undefined;
  return {
    featureIndex: names.map((n) => header.indexOf(n)),
    labelIndex: classified ? labelIndexes[0]! : -1,
    targetIndex: classified ? [] : labelIndexes,
    ...(lengthIndex !== undefined ? { lengthIndex } : {}),
  };
}

/** One example's regression targets: [] for label.column, [k] for label.columns. */
export function targetShape(config: FileDatasetConfig): number[] {
  return config.label.columns ? [config.label.columns.length] : [];
}

/** A value an int32 array can hold exactly. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
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


