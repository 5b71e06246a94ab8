/**
 * The header-reader contract: what a data file says about itself before its
 * rows are read. One file here per format, listed once in index.ts (the
 * runtime's loaders are the same contract in runtime/data/formats/).
 */

export type HeaderFormat = 'csv' | 'npy' | 'parquet' | 'idx';

export type DataHeader =
  /** csv, parquet: the column names, and for parquet each column's physical type. */
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly types?: readonly string[]; readonly rows?: number }
  /** npy: numpy's dtype code without byte order ('f4', 'u1', 'i8', ...) and the shape. */
  | { readonly kind: 'array'; readonly dtype: string; readonly shape: readonly number[] }
  /** idx: the dims (count first). */
  | { readonly kind: 'idx'; readonly dims: readonly number[] };

/** One format's header reader; it throws when the file cannot be read, and readHeader turns that into a HeaderResult. */
export interface HeaderReader {
  readonly name: HeaderFormat;
  read(path: string): DataHeader;
}
