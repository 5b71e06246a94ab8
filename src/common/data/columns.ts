/** Choosing a table's feature columns: shared by graphc check (headers) and the loaders (rows). */

/** Which columns of a table are features: listed, all but some, or a first..last range (names or 0-based positions). */
export type FeatureSelection =
  | { readonly columns: readonly string[] }
  | { readonly exclude: readonly string[] }
  | { readonly range: readonly [string | number, string | number] };

/**
 * The feature columns, in order: those listed, every column but the excluded
 * and the label's (and a lengths column's), or a first..last run without them. `missing` hears of each named column
 * not in the table, with its place under `features` (e.g. 'columns/2').
 */
export function selectColumns(
  columns: readonly string[],
  label: string | readonly string[] | undefined,
  selection: FeatureSelection | undefined,
  missing: (column: string | number, at: string) => void,
): string[] {
  const labels = new Set(typeof label === 'string' ? [label] : (label ?? []));
  if (selection && 'columns' in selection) {
    selection.columns.forEach((c, i) => {
      if (!columns.includes(c)) missing(c, `columns/${i}`);
    });
    return [...selection.columns];
  }
  if (selection && 'range' in selection) {
    const ends = selection.range.map((end, i) => {
      const index = typeof end === 'number' ? (end < columns.length ? end : -1) : columns.indexOf(end);
      if (index < 0) missing(end, `range/${i}`);
      return index;
    });
    const [first, last] = ends as [number, number];
    return first < 0 || last < 0 ? [] : columns.slice(Math.min(first, last), Math.max(first, last) + 1).filter((c) => !labels.has(c));
  }
  const excluded = new Set(selection && 'exclude' in selection ? selection.exclude : []);
  if (selection && 'exclude' in selection) {
    selection.exclude.forEach((c, i) => {
      if (!columns.includes(c)) missing(c, `exclude/${i}`);
    });
  }
  return columns.filter((c) => !labels.has(c) && !excluded.has(c));
}
