/**
 * `train.dataset` as a compiled module carries it (the spec's form, checked
 * by the compiler; scale already a number). Paths are relative to the spec
 * file, which the module names as its `source`.
 */
import type { FeatureSelection } from '../../common/data/columns.js';

export type DataFormatName = 'csv' | 'npy' | 'parquet' | 'idx';

export type DataFilesConfig = string | { readonly features: string; readonly labels: string; readonly lengths?: string } | { readonly images: string; readonly labels: string };

export interface FileDatasetConfig {
  readonly format: DataFormatName;
  readonly train: DataFilesConfig;
  readonly test: DataFilesConfig;
  readonly validation?: number;
  readonly features?: FeatureSelection;
  /** No classes: the label is a regression target (one column, or several). */
  readonly label: { readonly column?: string; readonly columns?: readonly string[]; readonly classes?: readonly string[] | number };
  readonly scale?: number;
  readonly feature_dtype?: 'float32' | 'int32';
  readonly lengths?: { readonly column: string };
  readonly window?: { readonly length: number; readonly horizon?: number; readonly stride?: number };
}

/** The label's columns in a table: one (column) or several (columns). */
export function labelColumns(config: FileDatasetConfig): readonly string[] {
  return config.label.columns ?? (config.label.column !== undefined ? [config.label.column] : []);
}

export type DatasetConfig = 'mnist' | FileDatasetConfig;
