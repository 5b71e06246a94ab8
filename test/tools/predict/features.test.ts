/**
 * What `graphc predict` reads for the new kinds of data: a regression
 * dataset's CSV file (its target columns are not features), and for a model
 * of windows a CSV series, whose last `length` rows are the one example.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import type { FileDatasetConfig } from '../../../src/runtime/data/config.js';
import { readPredictInput } from '../../../src/tools/predict/features.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-predict-'));
const series = join(dir, 'series.csv');
writeFileSync(series, 'day,x,y\n1,10,100\n2,20,200\n3,30,300\n4,40,400\n');

describe('graphc predict input for regression and windows', () => {
  it('a regression CSV file: every column but the targets is a feature', () => {
    const config: FileDatasetConfig = { format: 'csv', train: 'a.csv', test: 'a.csv', label: { columns: ['y'] } };
    expect(Array.from(readPredictInput(series, config, [2]).features)).toEqual([1, 10, 2, 20, 3, 30, 4, 40]);
  });

  it('a model of windows takes the series’ last `length` rows as one example', () => {
    const config: FileDatasetConfig = { format: 'csv', train: 'a.csv', test: 'a.csv', features: { columns: ['x', 'y'] }, label: { column: 'y' }, window: { length: 3 } };
    const read = readPredictInput(series, config, [3, 2]);
    expect([read.count, Array.from(read.features)]).toEqual([1, [20, 200, 30, 300, 40, 400]]);
    try {
      readPredictInput(series, { ...config, window: { length: 5 } }, [5, 2]);
      expect.unreachable();
    } catch (error) {
      expect((error as GraphcError).diagnostics[0]!.message).toBe(`${series}: an example has 8 values, the model takes [5, 2]`);
    }
  });
});
