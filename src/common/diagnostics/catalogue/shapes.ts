/** The diagnostics of dtypes and shapes. */
import { entry, shape, tensorType, type TensorTypeParam } from './entry.js';

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

export const shapesDiagnostics = {
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
} as const;
