/**
 * What `graphc predict` reads for the new kinds of data: a regression
 * dataset's CSV file (its target columns are not features), and for a model
 * of windows a CSV series, whose last `length` rows are the one example; for
 * a model of sequences with lengths, rows padded to its steps and their lengths.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseNpy } from 'npyjs';
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

describe('graphc predict input for a model of sequences with lengths (batch.lengths)', () => {
  const npy: FileDatasetConfig = { format: 'npy', feature_dtype: 'int32', train: { features: 'a.npy', labels: 'b.npy', lengths: 'c.npy' }, test: 'a.npy', label: { classes: 2 } };

  it('an inline row shorter than the steps is padded with zeros, its length the values given', () => {
    const read = readPredictInput('3,1,4,2', npy, [6], true);
    expect([read.count, Array.from(read.features), Array.from(read.lengths!)]).toEqual([1, [3, 1, 4, 2, 0, 0], [4]]);
  });

  it('padded rows (an NPY stack) have the lengths of the training files: the steps up to the last non-zero one', () => {
    // data/order's ids are non-zero within each length and 0 after it; its lengths file says each length.
    const read = readPredictInput('data/order/test-ids.npy', npy, [40], true);
    const bytes = readFileSync('data/order/test-lengths.npy');
    const lengths = parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(read.count).toBe(2000);
    expect(Array.from(read.lengths!)).toEqual(Array.from(lengths.data as unknown as ArrayLike<number>, Number));
    // Without lengths the same file is read as before, and no lengths come back.
    expect(readPredictInput('data/order/test-ids.npy', npy, [40]).lengths).toBeUndefined();
  });

  it('steps of several values: only whole steps, the length counting steps', () => {
    const read = readPredictInput('1,2,0,0,5,6,0,0', npy, [5, 2], true);
    expect([Array.from(read.features), Array.from(read.lengths!)]).toEqual([[1, 2, 0, 0, 5, 6, 0, 0, 0, 0], [3]]);
    const message = (input: string, takes: number[]) => {
      try {
        readPredictInput(input, npy, takes, true);
      } catch (error) {
        return (error as GraphcError).diagnostics.map((d) => `${d.code}: ${d.message}`)[0];
      }
      return undefined;
    };
    expect(message('1,2,3', [5, 2])).toBe('GC612: 1,2,3: an example has 3 values, the model takes sequences of up to 5 steps of 2 values');
    expect(message('1,2,3,4', [3])).toBe('GC612: 1,2,3,4: an example has 4 values, the model takes sequences of up to 3 steps of 1 value');
  });

  it('a CSV file whose header has the lengths column takes the lengths from it', () => {
    const csv: FileDatasetConfig = { format: 'csv', train: 'a.csv', test: 'a.csv', label: { column: 'label', classes: 2 }, lengths: { column: 'n' } };
    const file = join(dir, 'sequences.csv');
    writeFileSync(file, 't0,t1,t2,n,label\n4,5,6,2,1\n7,0,0,1,0\n');
    const read = readPredictInput(file, csv, [3], true);
    expect([read.count, Array.from(read.features), Array.from(read.lengths!)]).toEqual([2, [4, 5, 6, 7, 0, 0], [2, 1]]);
    writeFileSync(file, 't0,t1,t2,n,label\n4,5,6,4,1\n');
    expect(() => readPredictInput(file, csv, [3], true)).toThrow("example 1's length '4' is not a whole number from 0 to 3");
  });
});
