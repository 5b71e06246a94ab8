/**
 * What the stacked-RNN ops (stack_bidirectional_rnn, dynamic_rnn) share: the
 * cell and dropout attributes, the input checks, and the shape of their lowering.
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
  readonly cell: { readonly type: string; readonly units: number };
  readonly dropout?: { readonly output_keep_prob?: string | number };
}

export function rnnAttributes(b: SchemaBuilder, what: { layers: string; units: string }): Record<string, JsonSchema> {
  return {
    layers: b.integer({ description: what.layers, minimum: 1, examples: ['$layer_num'] }),
    cell: b.object(
      {
        type: b.enumOf(RNN_CELLS, { description: CELL_DESCRIPTION, examples: ['$cell_type'] }),
        units: b.integer({ description: what.units, minimum: 1, examples: ['$hidden_size'] }),
      },
      ['type', 'units'],
      { description: 'the cell of every layer', examples: [{ type: 'block_gru', units: 256 }] },
    ),
    dropout: b.object(
      { output_keep_prob: keepProbSchema(b, 'probability of keeping each emitted output (DropoutWrapper)') },
      ['output_keep_prob'],
      { description: "tf.contrib.rnn.DropoutWrapper around each cell: drops the cell's outputs, not its recurrent state", examples: [{ output_keep_prob: 'keep_prob' }] },
    ),
  };
}

const KEEP_PATH = 'dropout/output_keep_prob';

function keepOf(attrs: Attrs): string | number | undefined {
  return (attrs as unknown as RnnAttrs).dropout?.output_keep_prob;
}

export function rnnAttributeReferences(attrs: Attrs): { path: string; name: string }[] {
  return keepProbReferences(keepOf(attrs), KEEP_PATH);
}

/** Checks the [batch, time, features] float32 input and the keep probability; returns the input, or undefined after reporting. */
export function checkRnnInput(ctx: InferContext, op: string): InputInfo | undefined {
  const [x] = ctx.inputs;
  if (!x) return undefined;
  if (x.type.dtype !== 'float32') return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'sequence', expected: ['float32'], input: x.name, actual: x.type.dtype }, 'inputs/0');
  if (x.type.shape.length !== 3) {
    return ctx.error('GC503', { op, input: x.name, rank: x.type.shape.length, expected: '3 ([batch, time, features]); reshape it first' }, 'inputs/0');
  }
  if (x.type.shape[2] === null) return ctx.error('GC507', { op, kind: 'unknown_dims', dims: 'features', input: x.name }, 'inputs/0');
  if (!checkKeepProb(ctx, op, 'output_keep_prob', keepOf(ctx.attrs), KEEP_PATH)) return undefined;
  return x;
}

/** [batch, time, width]: the stack's output type. */
export function sequenceOutput(x: InputInfo, width: number): TensorType {
  return { dtype: 'float32', shape: [x.type.shape[0]!, x.type.shape[1]!, width] };
}

/** The TypeScript type of one cell's weights (`rnn.GruWeights`, `rnn.LstmWeights`). */
export function cellWeightsType(attrs: Attrs): string {
  return (attrs as unknown as RnnAttrs).cell.type.endsWith('lstm') ? 'rnn.LstmWeights' : 'rnn.GruWeights';
}

/** The weights config literal for the runtime's create*Weights. */
export function rnnWeightsConfig(attrs: Attrs, inputTypes: readonly TensorType[]): string {
  const { cell, layers } = attrs as unknown as RnnAttrs;
  return literal({ cell: cell.type, layers, inputSize: inputTypes[0]!.shape[2], units: cell.units });
}

/** `rnn.<fn>(x, vars.<node>, { cell, outputKeepProb, random, exampleOffset })`. */
export function lowerRnn(fn: string, ctx: LowerContext): string {
  const { cell } = ctx.attrs as unknown as RnnAttrs;
  return `rnn.${fn}(${ctx.inputs[0]}, ${ctx.variables}, { cell: ${literal(cell.type)}, outputKeepProb: ${keepProbExpression(ctx, keepOf(ctx.attrs))}, random: ctx.random, exampleOffset: ctx.exampleOffset })`;
}

/** Gate blocks of a cell: GRU's reset, update and candidate; LSTM's input, cell, forget and output. */
function gateCount(cellType: string): number {
  return cellType.endsWith('lstm') ? 4 : 3;
}

/**
 * The stack's parameter count: per layer and direction, a cell's kernel
 * [input + units, gates × units] and bias [gates × units]; a layer's input is
 * the previous layer's output (`directions` × units wide).
 */
export function rnnParameters(ctx: VariableContext, directions: 1 | 2): number {
  const { cell, layers } = ctx.attrs as unknown as RnnAttrs;
  const gates = gateCount(cell.type) * cell.units;
  let input = ctx.inputTypes[0]!.shape[2] as number;
  let total = 0;
  for (let layer = 0; layer < layers; layer++) {
    total += directions * ((input + cell.units) * gates + gates);
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
