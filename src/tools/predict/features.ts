/**
 * What `graphc predict` classifies when the model was trained on data files:
 * one CSV row given inline ("5.1,3.5,1.4,0.2"), a CSV file with a header row
 * (its feature columns chosen as in training, the label column ignored), or
 * an NPY file holding one example or a stack of them. Features are scaled as
 * in training. For a model of windows, a CSV file is a series: its last
 * `length` rows are the one example (the forecast after its last row).
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseNpy } from 'npyjs';
import { selectColumns } from '../../common/data/columns.js';
import type { PredictInputProblem } from '../../common/diagnostics/catalogue.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { describeFsError } from '../../common/fs.js';
import { labelColumns, type FileDatasetConfig } from '../../runtime/data/config.js';

export interface PredictExamples {
  readonly features: Float32Array;
  readonly count: number;
}

/** `takes`: one example's shape, as the placeholder fed the features has it. */
export function readPredictInput(input: string, dataset: FileDatasetConfig, takes: readonly number[]): PredictExamples {
  // A file is the diagnostic's location; an inline row is named by the message alone.
  const isFile = input.endsWith('.npy') || input.endsWith('.csv');
  const unusable = (problem: PredictInputProblem): never => fail('GC612', { input, problem }, isFile ? { file: input } : undefined);
  const width = takes.reduce((a, b) => a * b, 1);
  const factor = Math.fround(dataset.scale ?? 1);
  const scaled = (values: ArrayLike<number>): Float32Array => Float32Array.from(values, (v) => (factor === 1 ? v : v * factor));
  const numbers = (cells: readonly string[]): number[] =>
    cells.map((cell, position) => {
      const value = Number(cell.trim());
      if (cell.trim() === '' || !Number.isFinite(value)) unusable({ kind: 'not_number', value: cell, position });
      return value;
    });

  if (input.endsWith('.npy')) {
    const bytes = readBytes(input);
    let array: ReturnType<typeof parseNpy>;
    try {
      array = parseNpy(bytes);
    } catch (error) {
      fail('GC608', { file: input, format: 'npy', readerMessage: error instanceof Error ? error.message : String(error) }, { file: input });
    }
    const shape = array.shape;
    const one = shape.join() === takes.join();
    if (!one && shape.slice(1).join() !== takes.join()) unusable({ kind: 'array_shape', shape, takes });
    const values = Array.from(array.data as unknown as ArrayLike<number | bigint>, Number);
    if (values.some((v) => !Number.isFinite(v))) unusable({ kind: 'not_number', value: String(values.find((v) => !Number.isFinite(v))), position: values.findIndex((v) => !Number.isFinite(v)) });
    return { features: scaled(values), count: one ? 1 : shape[0]! };
  }
  if (input.endsWith('.csv')) {
    const rows = parseCsv(readText(input), { skip_empty_lines: true, bom: true, relax_column_count: true }) as string[][];
    const [header = [], ...body] = rows;
    // A header with the training columns: pick them by name; otherwise every column is a feature.
    const labels = labelColumns(dataset);
    const named = labels.length > 0 && labels.every((l) => header.includes(l)) ? header : undefined;
    let known = true;
    const excluded = [...labels, ...(dataset.lengths ? [dataset.lengths.column] : [])];
    const columns = named ? selectColumns(header, excluded, dataset.features, () => (known = false)) : header;
    const indices = known ? columns.map((c) => header.indexOf(c)) : header.map((_, i) => i);
    // A model of windows takes its last `length` rows: the forecast after the file's last row.
    const window = dataset.window?.length;
    const rowWidth = window !== undefined ? width / window : width;
    if (window !== undefined && body.length < window) unusable({ kind: 'width', values: body.length * indices.length, takes });
    const values: number[] = [];
    for (const row of window !== undefined ? body.slice(-window) : body) {
      if (row.length !== header.length || indices.length !== rowWidth) unusable({ kind: 'width', values: indices.length, takes });
      values.push(...numbers(indices.map((i) => row[i]!)));
    }
    return { features: scaled(values), count: window !== undefined ? 1 : body.length };
  }
  const values = numbers(input.split(','));
  if (values.length !== width) unusable({ kind: 'width', values: values.length, takes });
  return { features: scaled(values), count: 1 };
}

function readBytes(path: string): ArrayBuffer {
  try {
    const buffer = readFileSync(path);
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  } catch (error) {
    fail('GC601', { file: path, reason: 'fs', fsError: describeFsError(error) }, { file: path });
  }
}

function readText(path: string): string {
  return new TextDecoder().decode(readBytes(path));
}
