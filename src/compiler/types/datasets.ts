/** What the compiler knows of each dataset: the tensors a batch provides. */
import type { TensorType } from './tensor.js';

export const DATASETS = ['mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const DATASET_FIELDS = ['images', 'labels', 'size'] as const;
export type DatasetField = (typeof DATASET_FIELDS)[number];

export const DATASET_TYPES: Record<DatasetName, Record<DatasetField, TensorType>> = {
  mnist: {
    images: { dtype: 'float32', shape: [null, 784] },
    labels: { dtype: 'float32', shape: [null, 10] },
    size: { dtype: 'int32', shape: [] },
  },
};
