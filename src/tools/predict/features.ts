/**
 * What `graphc predict` classifies when the model was trained on data files:
 * one CSV row given inline ("5.1,3.5,1.4,0.2"), a CSV file with a header row
 * (its feature columns chosen as in training, the label column ignored), or
 * an NPY file holding one example or a stack of them. Features are scaled as
 * in training. For a model of windows, a CSV file is a series: its last
 * `length` rows are the one example (the forecast after its last row).
 * For a model of sequences with lengths (batch.lengths), an example may be
 * shorter than the placeholder's steps: it is padded with zeros, and its
 * length is its steps up to the last one that is not all zeros (zeros after
 * it are padding, as in the training files); a CSV file's lengths column,
 * when its header has it, gives the lengths instead.
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
  /** Each example's length in steps (batch.lengths), when `withLengths` asked for them. */
  readonly lengths?: Int32Array;
}

/**
 * `takes`: one example's shape, as the placeholder fed the features has it;
 * `withLengths`: the model is fed batch.lengths (its examples are sequences of
 * takes[0] steps at most).
 */
export function readPredictInput(input: string, dataset: FileDatasetConfig, takes: readonly number[], withLengths = false): PredictExamples {
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
    // With lengths, an example may have fewer steps than the placeholder: [steps, …] or a stack [n, steps, …].
    const fits = (example: readonly number[]): boolean =>
      example.join() === takes.join() || (withLengths && example.length === takes.length && example[0]! <= takes[0]! && example.slice(1).join() === takes.slice(1).join());
    const one = fits(shape);
    if (!one && !fits(shape.slice(1))) unusable({ kind: 'array_shape', shape, takes });
    const values = Array.from(array.data as unknown as ArrayLike<number | bigint>, Number);
    if (values.some((v) => !Number.isFinite(v))) unusable({ kind: 'not_number', value: String(values.find((v) => !Number.isFinite(v))), position: values.findIndex((v) => !Number.isFinite(v)) });
    const count = one ? 1 : shape[0]!;
    if (!withLengths) return { features: scaled(values), count };
    const given = values.length / count;
    return sequences(Array.from({ length: count }, (_, i) => values.slice(i * given, (i + 1) * given)));
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
    if (withLengths && window === undefined) {
      // Each row one sequence, up to the placeholder's steps; the lengths column, when the header names it, gives its length.
      const lengthColumn = dataset.lengths && named ? header.indexOf(dataset.lengths.column) : -1;
      const rows = body.map((row) => {
        if (row.length !== header.length) unusable({ kind: 'width', values: indices.length, takes });
        return numbers(indices.map((i) => row[i]!));
      });
      const given = lengthColumn < 0 ? undefined : body.map((row) => numbers([row[lengthColumn]!])[0]!);
      return sequences(rows, given);
    }
    const values: number[] = [];
    for (const row of window !== undefined ? body.slice(-window) : body) {
      if (row.length !== header.length || indices.length !== rowWidth) unusable({ kind: 'width', values: indices.length, takes });
      values.push(...numbers(indices.map((i) => row[i]!)));
    }
    return { features: scaled(values), count: window !== undefined ? 1 : body.length };
  }
  const values = numbers(input.split(','));
  if (withLengths) return sequences([values]);
  if (values.length !== width) unusable({ kind: 'width', values: values.length, takes });
  return { features: scaled(values), count: 1 };

  /**
   * Sequences of at most takes[0] steps, padded with zeros to it, and their
   * lengths: `given` ones, or each one's steps up to its last that is not all zeros.
   */
  function sequences(examples: readonly (readonly number[])[], given?: readonly number[]): PredictExamples {
    const steps = takes[0]!;
    const step = width / steps;
    const features = new Float32Array(examples.length * width);
    const lengths = new Int32Array(examples.length);
    examples.forEach((example, i) => {
      if (example.length > width || example.length % step !== 0) unusable({ kind: 'sequence_width', values: example.length, steps, step });
      features.set(scaled(example), i * width);
      let length = example.length / step;
      if (given) {
        length = given[i]!;
        if (!Number.isInteger(length) || length < 0 || length > steps) unusable({ kind: 'length', value: String(length), example: i, steps });
      } else {
        while (length > 0 && example.slice((length - 1) * step, length * step).every((v) => v === 0)) length--;
      }
      lengths[i] = length;
    });
    return { features, count: examples.length, lengths };
  }
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
