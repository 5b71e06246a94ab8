/**
 * The data-format contract: what `train.dataset: {format: ...}` names. Every
 * format is one file here implementing DataFormat, listed once in index.ts;
 * loadSplit (files.ts) looks the format up by name. The check-time side (what
 * a file's header says) is the same contract in common/data/headers/.
 */
import type { CsvOptions } from '../csv.js';
import type { DataFilesConfig, DataFormatName, FileDatasetConfig } from '../config.js';
import type { LabelReader } from '../values.js';

/** One split's examples before batching: row-major features and class ids. */
export interface Examples {
  readonly features: Float32Array;
  readonly labelIds: Int32Array;
  readonly count: number;
  readonly featureShape: readonly number[];
}

/** What a file holds: the whole table, or one array of a pair. */
export type FileRole = 'table' | 'features' | 'labels' | 'images';

/** One split to read: the spec's files for it, and what every format needs to read them. */
export interface SplitSource {
  readonly config: FileDatasetConfig;
  readonly given: DataFilesConfig;
  /** A spec path resolved against the spec's folder. */
  readonly at: (path: string) => string;
  readonly labels: LabelReader;
  readonly scale: number;
  readonly csv: CsvOptions;
}

export interface DataFormat {
  readonly name: DataFormatName;
  /** A split's files by role, as the spec names them. */
  files(given: DataFilesConfig): ReadonlyArray<readonly [FileRole, string]>;
  load(split: SplitSource): Promise<Examples>;
}
