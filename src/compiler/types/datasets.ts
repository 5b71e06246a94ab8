/**
 * What the compiler knows of datasets: the built-in one by name, the file
 * formats a spec may name, and the tensors a batch provides.
 */
import type { TensorType } from './tensor.js';

/** Datasets named by a word (`dataset: mnist`). */
export const DATASETS = ['mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Formats of `dataset: {format: ...}`. */
export const DATA_FORMATS = ['csv', 'npy', 'parquet', 'idx'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Formats whose files are tables of named columns (features and label chosen by column). */
export const TABLE_FORMATS: readonly DataFormat[] = ['csv', 'parquet'];

/**
 * The fields of `batch.*`: images is features under its image-set name;
 * targets a regression label's values; lengths an int32 per example (a
 * sequence's length) from a column or file the dataset names.
 */
export const DATASET_FIELDS = ['features', 'images', 'labels', 'label_ids', 'targets', 'lengths', 'size'] as const;
export type DatasetField = (typeof DATASET_FIELDS)[number];

/** The dtypes a dataset's features may have (`feature_dtype`). */
export const FEATURE_DTYPES = ['float32', 'int32'] as const;

/** MNIST's batch, as every spec before file datasets fed it. */
export const MNIST_TYPES: Record<Exclude<DatasetField, 'targets' | 'lengths'>, TensorType> = {
  features: { dtype: 'float32', shape: [null, 784] },
  images: { dtype: 'float32', shape: [null, 784] },
  labels: { dtype: 'float32', shape: [null, 10] },
  label_ids: { dtype: 'int32', shape: [null] },
  size: { dtype: 'int32', shape: [] },
};
