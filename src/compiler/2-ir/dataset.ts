/**
 * The dataset a spec trains on, as the analyzer sees it: what each `batch.*`
 * field provides, checked against the files' headers when they exist (a CSV's
 * header row, an NPY header, a Parquet schema, IDX dims). The rows themselves
 * are the runtime's to read (runtime/data/formats/).
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { readHeader, type DataHeader } from '../../common/data/headers/index.js';
import type { Code, DataShapeParam, ParamsOf } from '../../common/diagnostics/catalogue.js';
import { suggest } from '../../common/suggest.js';
import { selectColumns } from '../../common/data/columns.js';
import type { DataFiles, DatasetSpec, FileDatasetSpec } from '../1-spec/types.js';
import { MNIST_TYPES, TABLE_FORMATS, type DatasetField } from '../types/datasets.js';
import type { TensorType } from '../types/tensor.js';

export type Report = <C extends Code>(code: C, params: ParamsOf<C>, path: string, prefer?: 'value' | 'key') => void;

/** A file a field is read from, with the per-example shape its header gives. */
export interface FieldSource {
  readonly file: string;
  readonly have: DataShapeParam;
  readonly shape: readonly number[];
}

export interface DataField {
  /** The provided type; a shape of undefined means the per-example shape is not known without the files. */
  readonly dtype: TensorType['dtype'];
  readonly shape?: readonly (number | null)[];
  /** Files whose headers gave the shape (each checked against the placeholders it feeds). */
  readonly sources: readonly FieldSource[];
  /** Why the field cannot be fed from this dataset at all. */
  readonly unavailable?: ParamsOf<'GC604'>['problem'];
}

export type DataFields = Readonly<Record<DatasetField, DataField>>;

/** Numpy dtypes a loader turns into float32 features. */
const NUMERIC_DTYPES = new Set(['f2', 'f4', 'f8', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'b1']);
const INTEGER_DTYPES = new Set(['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']);
/** Parquet physical types that hold numbers. */
const NUMERIC_PARQUET = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN']);

const fixed = (dtype: TensorType['dtype'], shape: readonly (number | null)[]): DataField => ({ dtype, shape, sources: [] });

export function analyzeDataset(dataset: DatasetSpec, specFile: string, report: Report): DataFields {
  if (dataset === 'mnist') {
    const fields = Object.entries(MNIST_TYPES).map(([name, t]) => [name, fixed(t.dtype, t.shape)]);
    return Object.fromEntries(fields) as unknown as DataFields;
  }
  return new DatasetAnalysis(dataset, specFile, report).run();
}

class DatasetAnalysis {
  private readonly dir: string;
  private readonly table: boolean;
  private readonly reportedColumns = new Set<string>();

  constructor(
    private readonly ds: FileDatasetSpec,
    specFile: string,
    private readonly report: Report,
  ) {
    this.dir = dirname(resolve(specFile));
    this.table = TABLE_FORMATS.includes(ds.format);
  }

  run(): DataFields {
    const ds = this.ds;
    const classes = typeof ds.label.classes === 'number' ? ds.label.classes : ds.label.classes.length;
    const structural = this.checkStructure();
    const sources: FieldSource[] = [];
    if (structural) {
      for (const split of ['train', 'test'] as const) {
        const source = this.splitSource(split);
        if (source) sources.push(source);
      }
    }
    const listed = ds.features && 'columns' in ds.features ? ds.features.columns.length : undefined;
    const shape = sources[0] ? [null, ...sources[0].shape] : listed !== undefined ? [null, listed] : undefined;
    const features: DataField = { dtype: 'float32', ...(shape ? { shape } : {}), sources };
    return {
      features,
      images: ds.format === 'idx' ? features : { ...features, unavailable: { kind: 'images_not_image_set', format: ds.format } },
      labels: fixed('float32', [null, classes]),
      label_ids: fixed('int32', [null]),
      size: fixed('int32', []),
    };
  }

  /** The spec's parts that must fit its format (GC604); false when a split's files are not of the format's form. */
  private checkStructure(): boolean {
    const ds = this.ds;
    const format = ds.format;
    let ok = true;
    const expected = this.table ? 'one_file' : format === 'npy' ? 'features_labels' : 'images_labels';
    for (const split of ['train', 'test'] as const) {
      if (!fitsFormat(ds[split], expected)) {
        this.report('GC604', { problem: { kind: 'files', split, format, expected } }, `/train/dataset/${split}`);
        ok = false;
      }
    }
    if (this.table && ds.label.column === undefined) this.report('GC604', { problem: { kind: 'label_column_missing', format } }, '/train/dataset/label');
    if (!this.table && ds.label.column !== undefined) this.report('GC604', { problem: { kind: 'label_column_not_table', format } }, '/train/dataset/label/column', 'key');
    if (!this.table && ds.features !== undefined) this.report('GC604', { problem: { kind: 'features_not_table', format } }, '/train/dataset/features', 'key');
    return ok;
  }

  /** The features file of `split` and the per-example shape its header gives, after checking its headers. */
  private splitSource(split: 'train' | 'test'): FieldSource | undefined {
    const ds = this.ds;
    const files = ds[split];
    if (typeof files === 'string') {
      const header = this.header(files, `/train/dataset/${split}`);
      if (header?.kind !== 'table') return undefined;
      const width = this.tableFeatures(header, files, `/train/dataset/${split}`);
      if (width === undefined) return undefined;
      return { file: this.display(files), have: { source: 'columns', columns: width }, shape: [width] };
    }
    const [role, path] = 'features' in files ? ['features', files.features] : ['images', files.images];
    const pointer = `/train/dataset/${split}/${role}`;
    const header = this.header(path, pointer);
    this.checkLabels(files.labels, `/train/dataset/${split}/labels`);
    if (!header) return undefined;
    const file = this.display(path);
    if (header.kind === 'idx') {
      const shape = [header.dims.slice(1).reduce((a, b) => a * b, 1)];
      return { file, have: { source: 'array', shape }, shape };
    }
    if (header.kind !== 'array') return undefined;
    if (!NUMERIC_DTYPES.has(header.dtype)) {
      this.report('GC610', { file, problem: { kind: 'dtype', dtype: header.dtype } }, pointer);
      return undefined;
    }
    if (header.shape.length < 2) {
      this.report('GC610', { file, problem: { kind: 'features_rank', shape: header.shape } }, pointer);
      return undefined;
    }
    const shape = header.shape.slice(1);
    return { file, have: { source: 'array', shape }, shape };
  }

  private checkLabels(path: string, pointer: string): void {
    const header = this.header(path, pointer);
    const file = this.display(path);
    if (header?.kind === 'array') {
      if (header.shape.length !== 1) this.report('GC610', { file, problem: { kind: 'labels_rank', shape: header.shape } }, pointer);
      else if (!INTEGER_DTYPES.has(header.dtype)) this.report('GC610', { file, problem: { kind: 'labels_dtype', dtype: header.dtype } }, pointer);
    }
  }

  /** The number of feature columns the spec selects from this table, after checking every named column is in it. */
  private tableFeatures(header: Extract<DataHeader, { kind: 'table' }>, path: string, pointer: string): number | undefined {
    const file = this.display(path);
    const columns = header.columns;
    // A column missing from both splits' files is reported once, for the first file.
    const missing = (column: string | number, at: string): void => {
      if (this.reportedColumns.has(at)) return;
      this.reportedColumns.add(at);
      this.report('GC607', { file, column, ...(typeof column === 'string' ? { suggestion: suggest(column, columns) } : {}) }, at);
    };
    const label = this.ds.label.column;
    let ok = true;
    if (label !== undefined && !columns.includes(label)) {
      missing(label, '/train/dataset/label/column');
      ok = false;
    }
    const selected = selectColumns(columns, label, this.ds.features, (column, at) => {
      missing(column, `/train/dataset/features/${at}`);
      ok = false;
    });
    if (!ok) return undefined;
    if (header.types) {
      for (const name of selected) {
        const type = header.types[columns.indexOf(name)]!;
        if (!NUMERIC_PARQUET.has(type)) {
          this.report('GC610', { file, problem: { kind: 'column_type', column: name, type } }, pointer);
          return undefined;
        }
      }
    }
    return selected.length;
  }

  private header(path: string, pointer: string): DataHeader | undefined {
    const file = this.display(path);
    const result = readHeader(resolve(this.dir, path), this.ds.format);
    if (result.ok) return result.header;
    if (result.missing) this.report('GC606', { file }, pointer);
    else this.report('GC608', { file, format: this.ds.format, readerMessage: result.readerMessage }, pointer);
    return undefined;
  }

  /** A data path as messages show it: relative to the working directory when inside it. */
  private display(path: string): string {
    const absolute = resolve(this.dir, path);
    const rel = relative(process.cwd(), absolute);
    return (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute).split(sep).join('/');
  }
}

function fitsFormat(files: DataFiles, expected: 'one_file' | 'features_labels' | 'images_labels'): boolean {
  if (expected === 'one_file') return typeof files === 'string';
  if (typeof files === 'string') return false;
  return expected === 'features_labels' ? 'features' in files : 'images' in files;
}
