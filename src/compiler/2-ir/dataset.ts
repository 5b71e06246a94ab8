/**
 * The dataset a spec trains on, as the analyzer sees it: what each `batch.*`
 * field provides, checked against the files' headers when they exist (a CSV's
 * header row, an NPY header, a Parquet schema, IDX dims). The rows themselves
 * are the runtime's to read (runtime/data/formats/).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { readHeader, type DataHeader } from '../../common/data/headers/index.js';
import type { Code, DataShapeParam, DatasetFieldReason, DatasetOptionProblem, ParamsOf } from '../../common/diagnostics/catalogue.js';
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
  /** Why this dataset has no such field (GC613): its label has no classes, or classes, or it names no lengths. */
  readonly absent?: DatasetFieldReason;
}

export type DataFields = Readonly<Record<DatasetField, DataField>>;

/** Numpy dtypes a loader turns into float32 features. */
const NUMERIC_DTYPES = new Set(['f2', 'f4', 'f8', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'b1']);
const INTEGER_DTYPES = new Set(['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']);
/** Parquet physical types that hold numbers, and those that hold integers. */
const NUMERIC_PARQUET = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN']);
const INTEGER_PARQUET = new Set(['INT32', 'INT64']);

const fixed = (dtype: TensorType['dtype'], shape: readonly (number | null)[]): DataField => ({ dtype, shape, sources: [] });
const absent = (dtype: TensorType['dtype'], reason: DatasetFieldReason): DataField => ({ dtype, sources: [], absent: reason });

export function analyzeDataset(dataset: DatasetSpec, specFile: string, report: Report): DataFields {
  if (dataset === 'mnist') {
    const fields = Object.entries(MNIST_TYPES).map(([name, t]) => [name, fixed(t.dtype, t.shape)]);
    return { ...Object.fromEntries(fields), targets: absent('float32', 'classification'), lengths: absent('int32', 'no_lengths') } as unknown as DataFields;
  }
  return new DatasetAnalysis(dataset, specFile, report).run();
}

/** One split's sources, by the field they feed. */
interface SplitSources {
  features?: FieldSource;
  targets?: FieldSource;
}

class DatasetAnalysis {
  private readonly dir: string;
  private readonly table: boolean;
  private readonly integer: boolean;
  private readonly reportedColumns = new Set<string>();
  private readonly reportedWindow = new Set<string>();

  constructor(
    private readonly ds: FileDatasetSpec,
    specFile: string,
    private readonly report: Report,
  ) {
    this.dir = dirname(resolve(specFile));
    this.table = TABLE_FORMATS.includes(ds.format);
    this.integer = ds.feature_dtype === 'int32';
  }

  run(): DataFields {
    const ds = this.ds;
    const classes = ds.label.classes === undefined ? undefined : typeof ds.label.classes === 'number' ? ds.label.classes : ds.label.classes.length;
    const structural = this.checkStructure();
    this.checkOptions();
    const featureSources: FieldSource[] = [];
    const targetSources: FieldSource[] = [];
    if (structural) {
      for (const split of ['train', 'test'] as const) {
        const found = this.splitSources(split, classes !== undefined);
        if (found.features) featureSources.push(found.features);
        if (found.targets) targetSources.push(found.targets);
      }
    }
    const window = ds.window?.length;
    const listed = ds.features && 'columns' in ds.features ? ds.features.columns.length : undefined;
    const known = featureSources[0]?.shape ?? (listed !== undefined ? (window !== undefined ? [window, listed] : [listed]) : undefined);
    const shape = known ? [null, ...known] : undefined;
    const features: DataField = { dtype: this.integer ? 'int32' : 'float32', ...(shape ? { shape } : {}), sources: featureSources };
    const targetColumns = ds.label.columns?.length;
    const targets: DataField =
      classes !== undefined
        ? absent('float32', 'classification')
        : { dtype: 'float32', ...(this.table ? { shape: targetColumns === undefined ? [null] : [null, targetColumns] } : {}), sources: targetSources };
    const lengthsDeclared = this.table ? ds.lengths !== undefined : typeof ds.train === 'object' && 'lengths' in ds.train;
    return {
      features,
      images: ds.format === 'idx' ? features : { ...features, unavailable: { kind: 'images_not_image_set', format: ds.format } },
      labels: classes === undefined ? absent('float32', 'regression') : fixed('float32', [null, classes]),
      label_ids: classes === undefined ? absent('int32', 'regression') : fixed('int32', [null]),
      targets,
      lengths: lengthsDeclared ? fixed('int32', [null]) : absent('int32', 'no_lengths'),
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
    if (this.table && ds.label.column === undefined && ds.label.columns === undefined) this.report('GC604', { problem: { kind: 'label_column_missing', format } }, '/train/dataset/label');
    if (!this.table && ds.label.column !== undefined) this.report('GC604', { problem: { kind: 'label_column_not_table', format } }, '/train/dataset/label/column', 'key');
    if (!this.table && ds.features !== undefined) this.report('GC604', { problem: { kind: 'features_not_table', format } }, '/train/dataset/features', 'key');
    return ok;
  }

  /** Options that do not go together, or not with this format (GC614). */
  private checkOptions(): void {
    const ds = this.ds;
    const format = ds.format;
    const conflict = (problem: DatasetOptionProblem, path: string): void => this.report('GC614', { problem }, path, 'key');
    if (this.integer && ds.scale !== undefined) conflict({ kind: 'scale_integer' }, '/train/dataset/scale');
    if (ds.label.column !== undefined && ds.label.columns !== undefined) conflict({ kind: 'label_column_and_columns' }, '/train/dataset/label/columns');
    if (!this.table && ds.label.columns !== undefined) conflict({ kind: 'not_table', option: 'label.columns', format }, '/train/dataset/label/columns');
    if (!this.table && ds.lengths !== undefined) conflict({ kind: 'not_table', option: 'lengths', format }, '/train/dataset/lengths');
    for (const split of ['train', 'test'] as const) {
      const files = ds[split];
      if (typeof files === 'object' && 'lengths' in files && format !== 'npy') conflict({ kind: 'not_npy', option: 'lengths', format }, `/train/dataset/${split}/lengths`);
    }
    if (ds.window !== undefined && format === 'idx') conflict({ kind: 'window_format', format }, '/train/dataset/window');
    const npyLengths = (['train', 'test'] as const).some((split) => typeof ds[split] === 'object' && 'lengths' in (ds[split] as object));
    if (ds.window !== undefined && (ds.lengths !== undefined || npyLengths)) conflict({ kind: 'window_lengths' }, '/train/dataset/window');
  }

  /** The files of `split`, their headers checked; the per-example shapes they give their fields. */
  private splitSources(split: 'train' | 'test', classified: boolean): SplitSources {
    const ds = this.ds;
    const files = ds[split];
    if (typeof files === 'string') {
      const pointer = `/train/dataset/${split}`;
      const header = this.header(files, pointer);
      if (header?.kind !== 'table') return {};
      const width = this.tableFeatures(header, files, pointer);
      if (width === undefined) return {};
      const file = this.display(files);
      if (ds.window) {
        const rows = header.rows ?? countCsvRows(resolve(this.dir, files));
        this.checkWindowRows(file, rows);
        const shape = [ds.window.length, width];
        return { features: { file, have: { source: 'array', shape }, shape } };
      }
      return { features: { file, have: { source: 'columns', columns: width }, shape: [width] } };
    }
    const [role, path] = 'features' in files ? ['features', files.features] : ['images', files.images];
    const pointer = `/train/dataset/${split}/${role}`;
    const header = this.header(path, pointer);
    const targets = this.checkLabels(files.labels, `/train/dataset/${split}/labels`, classified);
    if ('lengths' in files && files.lengths !== undefined) this.checkLengths(files.lengths, `/train/dataset/${split}/lengths`);
    if (!header) return {};
    const file = this.display(path);
    if (header.kind === 'idx') {
      const shape = [header.dims.slice(1).reduce((a, b) => a * b, 1)];
      return { features: { file, have: { source: 'array', shape }, shape } };
    }
    if (header.kind !== 'array') return {};
    if (!NUMERIC_DTYPES.has(header.dtype)) {
      this.report('GC610', { file, problem: { kind: 'dtype', dtype: header.dtype } }, pointer);
      return {};
    }
    if (this.integer && !INTEGER_DTYPES.has(header.dtype)) {
      this.report('GC617', { file, role: 'int32 features', problem: { kind: 'dtype', dtype: header.dtype } }, pointer);
      return {};
    }
    if (header.shape.length < 2) {
      this.report('GC610', { file, problem: { kind: 'features_rank', shape: header.shape } }, pointer);
      return {};
    }
    const rowShape = header.shape.slice(1);
    if (ds.window) {
      this.checkWindowRows(file, header.shape[0]!);
      const shape = [ds.window.length, ...rowShape];
      return { features: { file, have: { source: 'array', shape }, shape }, ...(targets ? { targets } : {}) };
    }
    return { features: { file, have: { source: 'array', shape: rowShape }, shape: rowShape }, ...(targets ? { targets } : {}) };
  }

  /** A window and its target must fit in the split's rows (GC615). */
  private checkWindowRows(file: string, rows: number): void {
    const { length, horizon = 1 } = this.ds.window!;
    if (length + horizon <= rows || this.reportedWindow.has(file)) return;
    this.reportedWindow.add(file);
    this.report('GC615', { file, rows, length, horizon }, '/train/dataset/window/length');
  }

  /** An npy labels file: class ids [N], or for a regression targets [N] or [N, k] (their per-example shape, as a source). */
  private checkLabels(path: string, pointer: string, classified: boolean): FieldSource | undefined {
    const header = this.header(path, pointer);
    const file = this.display(path);
    if (header?.kind !== 'array') return undefined;
    if (classified) {
      if (header.shape.length !== 1) this.report('GC610', { file, problem: { kind: 'labels_rank', shape: header.shape } }, pointer);
      else if (!INTEGER_DTYPES.has(header.dtype)) this.report('GC610', { file, problem: { kind: 'labels_dtype', dtype: header.dtype } }, pointer);
      return undefined;
    }
    if (!NUMERIC_DTYPES.has(header.dtype)) {
      this.report('GC617', { file, role: 'regression targets', problem: { kind: 'dtype', dtype: header.dtype } }, pointer);
      return undefined;
    }
    if (header.shape.length < 1 || header.shape.length > 2) {
      this.report('GC617', { file, role: 'regression targets', problem: { kind: 'rank', shape: header.shape, expected: '[examples] or [examples, targets]' } }, pointer);
      return undefined;
    }
    const shape = header.shape.slice(1);
    return { file, have: { source: 'array', shape }, shape };
  }

  private checkLengths(path: string, pointer: string): void {
    const header = this.header(path, pointer);
    const file = this.display(path);
    if (header?.kind !== 'array') return;
    if (header.shape.length !== 1) this.report('GC617', { file, role: 'lengths', problem: { kind: 'rank', shape: header.shape, expected: 'one per example, [examples]' } }, pointer);
    else if (!INTEGER_DTYPES.has(header.dtype)) this.report('GC617', { file, role: 'lengths', problem: { kind: 'dtype', dtype: header.dtype } }, pointer);
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
    const ds = this.ds;
    const labels = labelColumns(ds);
    let ok = true;
    labels.forEach((label, i) => {
      if (columns.includes(label)) return;
      missing(label, ds.label.columns ? `/train/dataset/label/columns/${i}` : '/train/dataset/label/column');
      ok = false;
    });
    const lengths = ds.lengths?.column;
    if (lengths !== undefined && !columns.includes(lengths)) {
      missing(lengths, '/train/dataset/lengths/column');
      ok = false;
    }
    const selected = selectColumns(columns, [...labels, ...(lengths !== undefined ? [lengths] : [])], ds.features, (column, at) => {
      missing(column, `/train/dataset/features/${at}`);
      ok = false;
    });
    if (!ok) return undefined;
    if (header.types) {
      const typeOf = (name: string): string => header.types![columns.indexOf(name)]!;
      for (const name of [...selected, ...(ds.label.classes === undefined ? labels : [])]) {
        if (!NUMERIC_PARQUET.has(typeOf(name))) {
          this.report('GC610', { file, problem: { kind: 'column_type', column: name, type: typeOf(name) } }, pointer);
          return undefined;
        }
      }
      const integers = [...(this.integer ? selected : []), ...(lengths !== undefined ? [lengths] : [])];
      for (const name of integers) {
        if (!INTEGER_PARQUET.has(typeOf(name))) {
          this.report('GC617', { file, role: name === lengths ? 'lengths' : 'int32 features', problem: { kind: 'dtype', dtype: `column '${name}' of ${typeOf(name)}` } }, pointer);
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

/** The label's columns in a table: one (column) or several (columns). */
export function labelColumns(ds: FileDatasetSpec): readonly string[] {
  return ds.label.columns ?? (ds.label.column !== undefined ? [ds.label.column] : []);
}

/** A CSV file's data rows (non-blank lines after the header), for a window's check; quoted line breaks are not expected in a series. */
function countCsvRows(path: string): number {
  const bytes = readFileSync(path);
  let rows = 0;
  let start = 0;
  for (let nl = bytes.indexOf(10); ; nl = bytes.indexOf(10, start)) {
    const end = nl < 0 ? bytes.length : nl;
    if (end - start > (bytes[end - 1] === 13 ? 1 : 0)) rows++;
    if (nl < 0) break;
    start = nl + 1;
  }
  return Math.max(0, rows - 1);
}

function fitsFormat(files: DataFiles, expected: 'one_file' | 'features_labels' | 'images_labels'): boolean {
  if (expected === 'one_file') return typeof files === 'string';
  if (typeof files === 'string') return false;
  return expected === 'features_labels' ? 'features' in files : 'images' in files;
}
