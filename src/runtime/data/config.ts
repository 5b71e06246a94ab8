/**
 * `train.dataset` as a compiled module carries it (the spec's form, checked
 * by the compiler; scale already a number). Paths are relative to the spec
 * file, which the module names as its `source`.
 */
import type { FeatureSelection } from '../../common/data/columns.js';

export type DataFormatName = 'csv' | 'npy' | 'parquet' | 'idx';

export type DataFilesConfig = string | { readonly features: string; readonly labels: string } | { readonly images: string; readonly labels: string };

export interface FileDatasetConfig {
  readonly format: DataFormatName;
  readonly train: DataFilesConfig;
  readonly test: DataFilesConfig;
  readonly validation?: number;
  readonly features?: FeatureSelection;
  readonly label: { readonly column?: string; readonly classes: readonly string[] | number };
  readonly scale?: number;
}

export type DatasetConfig = 'mnist' | FileDatasetConfig;
