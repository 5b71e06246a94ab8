/**
 * The data-format contract: what `train.dataset: {format: ...}` names. Every
 * format is one file here implementing DataFormat, listed once in index.ts;
 * loadSplit (files.ts) looks the format up by name. The check-time side (what
 * a file's header says) is the same contract in common/data/headers/.
 */
import type { CsvOptions } from '../csv.js';
import type { DataFilesConfig, DataFormatName, FileDatasetConfig } from '../config.js';
import type { LabelReader } from '../values.js';

/** One split's examples before batching: row-major features (float32, or int32 for `feature_dtype: int32`), class ids, regression targets, lengths. */
export interface Examples {
  readonly features: Float32Array | Int32Array;
  /** Class ids; -1 for a regression dataset, whose label has no classes. */
  readonly labelIds: Int32Array;
  /** A regression dataset's targets, [count, ...targetShape] row-major. */
  readonly targets?: Float32Array;
  /** One example's targets: [] for one column, [k] for several. */
  readonly targetShape?: readonly number[];
  /** Per-example int32 lengths, when the dataset names them. */
  readonly lengths?: Int32Array;
  readonly count: number;
  readonly featureShape: readonly number[];
}

/** What a file holds: the whole table, or one array of a pair. */
export type FileRole = 'table' | 'features' | 'labels' | 'images' | 'lengths';

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
