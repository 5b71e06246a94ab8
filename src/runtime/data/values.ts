/** Turning cells into numbers and class ids, shared by the loaders and the CSV worker threads. */
import type { DataValueProblem } from '../../common/diagnostics/catalogue.js';

/** Turns a label cell into a class id, or says why it is not one. */
export interface LabelReader {
  readonly classes: number;
  read(cell: string | number | bigint | boolean | null | undefined): number | DataValueProblem;
}

export function labelReader(classes: readonly string[] | number): LabelReader {
  if (typeof classes === 'number') {
    return {
      classes,
      read(cell) {
        if (cell === null || cell === undefined) return { kind: 'missing' };
        const text = String(cell).trim();
        const id = Number(text);
        if (text === '' || !Number.isFinite(id)) return { kind: 'not_number', value: text };
        if (!Number.isInteger(id) || id < 0 || id >= classes) return { kind: 'class_id_out_of_range', value: text, classes };
        return id;
      },
    };
  }
  const ids = new Map(classes.map((name, i) => [name, i]));
  return {
    classes: classes.length,
    read(cell) {
      if (cell === null || cell === undefined) return { kind: 'missing' };
      const text = String(cell).trim();
      return ids.get(text) ?? { kind: 'unknown_class', value: text, classes };
    },
  };
}

/** A cell as a finite number, or why it is not one. */
export function cellValue(cell: string): number | DataValueProblem {
  // The common case first, with no string work: Number() skips surrounding blanks itself, but reads a blank cell as 0.
  const value = Number(cell);
  if (Number.isFinite(value) && (value !== 0 || cell.trim() !== '')) return value;
  const text = cell.trim();
  return /^[+-]?(nan|inf|infinity)$/i.test(text) ? { kind: 'not_finite', value: text } : { kind: 'not_number', value: text };
}
