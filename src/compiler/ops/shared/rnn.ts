/**
 * What the stacked-RNN ops (stack_bidirectional_rnn, dynamic_rnn) share: the
 * cell and dropout attributes, the input checks (the sequence, and the
 * optional int32 [batch] sequence lengths), what the node returns
 * (return_sequences, return_state) and the shape of their lowering.
 */
import type { TensorType } from '../../types/tensor.js';
import type { JsonSchema, SchemaBuilder } from '../../types/schema-builder.js';
import type { Attrs, InferContext, InputInfo, LowerContext, VariableContext } from '../op.js';
import { literal } from '../../types/typescript.js';
import { checkKeepProb, keepProbExpression, keepProbReferences, keepProbSchema } from './keep_prob.js';

/** Cell types either stack accepts; `block_*` are fused lowerings of the same function and variables. */
export const RNN_CELLS = ['gru', 'block_gru', 'lstm', 'block_lstm'] as const;

const CELL_DESCRIPTION =
  'gru: TF GRUCell, one composite computation per step; block_gru: TF GRUBlockCellV2, the same function as a fused whole-sequence op; ' +
  'lstm: TF BasicLSTMCell (forget_bias 1.0), composite; block_lstm: TF LSTMBlockCell, the same function fused';

export interface RnnAttrs {
  readonly layers: number;
  readonly cell: { readonly type: string; readonly units: number; readonly reset_after?: boolean };
  readonly dropout?: { readonly output_keep_prob?: string | number };
  readonly return_sequences?: boolean;
  readonly return_state?: boolean;
}

/** The inputs both stacks take: the sequence, and optionally each example's length. */
export const RNN_INPUTS = {
  min: 1,
  max: 2,
  description:
    'a [batch, time, features] float32 sequence; optionally, second, each example\'s length as int32 [batch] (TF1 dynamic_rnn\'s sequence_length): ' +
    'outputs past an example\'s length are zero and its state is carried through unchanged, and the backward direction reverses each example within its length (tf.reverse_sequence); ' +
    'with lengths, the block cells run as their composites (the same function, per step)',
} as const;

/** What the node returns: the runtime's `output` option. */
type RnnOutput = 'sequences' | 'last' | 'state';

function outputOf(attrs: Attrs): RnnOutput {
  const a = attrs as unknown as RnnAttrs;
  if (a.return_state === true) return 'state';
  return a.return_sequences === false ? 'last' : 'sequences';
}

export function rnnAttributes(b: SchemaBuilder, what: { layers: string; units: string }): Record<string, JsonSchema> {
  return {
    layers: b.integer({ description: what.layers, minimum: 1, examples: ['$layer_num'] }),
    cell: b.object(
      {
        type: b.enumOf(RNN_CELLS, { description: CELL_DESCRIPTION, examples: ['$cell_type'] }),
        units: b.integer({ description: what.units, minimum: 1, examples: ['$hidden_size'] }),
        reset_after: b.boolean({
          description:
            "GRU cells only: apply the reset gate after the recurrent matmul, c = tanh(x·W_cx + b_c + r ⊙ (h·W_ch + b_ch)), as Keras's GRU (its default), PyTorch's nn.GRU and cuDNN do, " +
            "with a separate recurrent candidate bias (variable candidate/recurrent_bias); false is TF1's GRUCell, c = tanh([x, r ⊙ h]·W_c + b_c). " +
            "block_gru's fused kernels compute both forms on cpu, wasm and webgpu",
          default: false,
        }),
      },
      ['type', 'units'],
      { description: 'the cell of every layer', examples: [{ type: 'block_gru', units: 256 }, { type: 'gru', units: 64, reset_after: true }] },
    ),
    dropout: b.object(
      { output_keep_prob: keepProbSchema(b, 'probability of keeping each emitted output (DropoutWrapper)') },
      ['output_keep_prob'],
      { description: "tf.contrib.rnn.DropoutWrapper around each cell: drops the cell's outputs, not its recurrent state", examples: [{ output_keep_prob: 'keep_prob' }] },
    ),
    return_sequences: b.boolean({
      description:
        "as Keras's: true gives every step's output [batch, time, width]; false gives each example's last output [batch, width] (at its length − 1; a backward direction's last output is at t = 0)",
      default: true,
    }),
    return_state: b.boolean({
      description:
        "true makes the node's value the last layer's final state instead of its outputs, [batch, width] (TF1 dynamic_rnn's second result; an LSTM's state is concat([c, h]) per direction; no dropout); " +
        'a node has one value, so return_sequences cannot also be true',
      default: false,
    }),
  };
}

const KEEP_PATH = 'dropout/output_keep_prob';

function keepOf(attrs: Attrs): string | number | undefined {
  return (attrs as unknown as RnnAttrs).dropout?.output_keep_prob;
}

export function rnnAttributeReferences(attrs: Attrs): { path: string; name: string }[] {
  return keepProbReferences(keepOf(attrs), KEEP_PATH);
}

/**
 * Checks the [batch, time, features] float32 input, the sequence lengths, the
 * cell's settings and the keep probability; returns the input, or undefined
 * after reporting.
 */
export function checkRnnInput(ctx: InferContext, op: string): InputInfo | undefined {
  const [x, lengths] = ctx.inputs;
  if (!x) return undefined;
  const attrs = ctx.attrs as unknown as RnnAttrs;
  if (attrs.cell.reset_after === true && attrs.cell.type.endsWith('lstm')) {
    return ctx.error('GC560', { op, cell: attrs.cell.type }, 'cell/reset_after');
  }
  if (attrs.return_state === true && attrs.return_sequences === true) return ctx.error('GC562', { op }, 'return_state');
  if (x.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'sequence', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
  if (x.type.shape.length !== 3) {
    return ctx.error('GC503', { op, input: x.name, rank: x.type.shape.length, expected: '3 ([batch, time, features]); reshape it first' }, 'inputs/0');
  }
  if (x.type.shape[2] === null) return ctx.error('GC507', { op, kind: 'unknown_dims', dims: 'features', input: x.name }, 'inputs/0');
  if (lengths) {
    if (lengths.type.dtype !== 'int32') return ctx.error('GC561', { op, kind: 'dtype', input: lengths.name, dtype: lengths.type.dtype }, 'inputs/1');
    if (lengths.type.shape.length !== 1) {
      return ctx.error('GC503', { op, input: lengths.name, rank: lengths.type.shape.length, expected: '1 (sequence lengths: int32 [batch], one per example)' }, 'inputs/1');
    }
    const [batch, count] = [x.type.shape[0], lengths.type.shape[0]];
    if (batch != null && count != null && batch !== count) {
      return ctx.error('GC561', { op, kind: 'batch', input: lengths.name, count, sequence: x.name, batch }, 'inputs/1');
    }
  }
  if (!checkKeepProb(ctx, op, 'output_keep_prob', keepOf(ctx.attrs), KEEP_PATH)) return undefined;
  return x;
}

/**
 * The stack's output type: [batch, time, width] (every step), or [batch,
 * width] (return_sequences false: the last output; return_state: the final
 * state, twice as wide for an LSTM, whose state is c and h).
 */
export function sequenceOutput(x: InputInfo, attrs: Attrs, width: number): TensorType {
  const output = outputOf(attrs);
  const [batch, time] = [x.type.shape[0]!, x.type.shape[1]!];
  if (output === 'sequences') return { dtype: 'float32', shape: [batch, time, width] };
  const lstmState = output === 'state' && (attrs as unknown as RnnAttrs).cell.type.endsWith('lstm');
  return { dtype: 'float32', shape: [batch, lstmState ? 2 * width : width] };
}

/** The TypeScript type of one cell's weights (`rnn.GruWeights`, `rnn.LstmWeights`). */
export function cellWeightsType(attrs: Attrs): string {
  return (attrs as unknown as RnnAttrs).cell.type.endsWith('lstm') ? 'rnn.LstmWeights' : 'rnn.GruWeights';
}

/** The weights config literal for the runtime's create*Weights. */
export function rnnWeightsConfig(attrs: Attrs, inputTypes: readonly TensorType[]): string {
  const { cell, layers } = attrs as unknown as RnnAttrs;
  // resetAfter only when set, so TF1-form specs compile to the modules they always did.
  return literal({ cell: cell.type, layers, inputSize: inputTypes[0]!.shape[2], units: cell.units, ...(cell.reset_after === true && { resetAfter: true }) });
}

/** `rnn.<fn>(x, vars.<node>, { cell, outputKeepProb, random, exampleOffset[, lengths][, output] })`. */
export function lowerRnn(fn: string, ctx: LowerContext): string {
  const { cell } = ctx.attrs as unknown as RnnAttrs;
  const output = outputOf(ctx.attrs);
  const lengths = ctx.inputs[1];
  const extra = [...(lengths === undefined ? [] : [lengths === 'lengths' ? 'lengths' : `lengths: ${lengths}`]), ...(output !== 'sequences' ? [`output: ${literal(output)}`] : [])];
  const options = [`cell: ${literal(cell.type)}`, `outputKeepProb: ${keepProbExpression(ctx, keepOf(ctx.attrs))}`, 'random: ctx.random', 'exampleOffset: ctx.exampleOffset', ...extra];
  return `rnn.${fn}(${ctx.inputs[0]}, ${ctx.variables}, { ${options.join(', ')} })`;
}

/** Gate blocks of a cell: GRU's reset, update and candidate; LSTM's input, cell, forget and output. */
function gateCount(cellType: string): number {
  return cellType.endsWith('lstm') ? 4 : 3;
}

/**
 * The stack's parameter count: per layer and direction, a cell's kernel
 * [input + units, gates × units] and bias [gates × units] (and a reset_after
 * GRU's recurrent candidate bias [units]); a layer's input is
 * the previous layer's output (`directions` × units wide).
 */
export function rnnParameters(ctx: VariableContext, directions: 1 | 2): number {
  const { cell, layers } = ctx.attrs as unknown as RnnAttrs;
  const gates = gateCount(cell.type) * cell.units;
  // reset_after's recurrent candidate bias.
  const extra = cell.reset_after === true ? cell.units : 0;
  let input = ctx.inputTypes[0]!.shape[2] as number;
  let total = 0;
  for (let layer = 0; layer < layers; layer++) {
    total += directions * ((input + cell.units) * gates + gates + extra);
    input = directions * cell.units;
  }
  return total;
}

/** What the stack keeps per example for the gradient: every step's gates and state (plus the cell state for an LSTM), in every layer and direction. */
export function rnnActivations(ctx: VariableContext, directions: 1 | 2): number {
  const { cell, layers } = ctx.attrs as unknown as RnnAttrs;
  const time = ctx.inputTypes[0]!.shape[1] ?? 1;
  const perStep = (gateCount(cell.type) + (cell.type.endsWith('lstm') ? 2 : 1)) * cell.units;
  return layers * directions * time * perStep;
}
