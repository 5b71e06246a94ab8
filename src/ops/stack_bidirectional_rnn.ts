import type { OpDefinition } from './op.js';
import { literal } from './shared/emit.js';

/** Cell types a bidirectional stack accepts; `block_*` are the fused lowerings of the same function. */
export const BIDIRECTIONAL_CELLS = ['gru', 'block_gru'] as const;

export const stackBidirectionalRnn: OpDefinition = {
  name: 'stack_bidirectional_rnn',
  summary:
    "stacked bidirectional RNN (tf.contrib.rnn.stack_bidirectional_dynamic_rnn): each layer runs a forward and a backward cell and concatenates their outputs, which feed the next layer",
  inputs: { min: 1, max: 1, description: 'a [batch, time, features] float32 sequence' },
  attributes: (b) => ({
    layers: b.integer({ description: 'number of stacked bidirectional layers', minimum: 1, examples: ['$layer_num'] }),
    cell: b.object(
      {
        type: b.enumOf(BIDIRECTIONAL_CELLS, {
          description: 'gru: TF GRUCell, one composite computation per step; block_gru: TF GRUBlockCellV2, the same function as a fused whole-sequence kernel',
          examples: ['$cell_type'],
        }),
        units: b.integer({ description: 'hidden units per direction', minimum: 1, examples: ['$hidden_size'] }),
      },
      ['type', 'units'],
      { description: 'the cell of every layer and direction', examples: [{ type: 'block_gru', units: 256 }] },
    ),
    dropout: b.object(
      {
        output_keep_prob: b.referenceOrNumber({
          description: 'probability of keeping each emitted output (DropoutWrapper); a scalar float32 placeholder, or a number',
          exclusiveMinimum: 0,
          maximum: 1,
          examples: ['keep_prob'],
        }),
      },
      ['output_keep_prob'],
      { description: "tf.contrib.rnn.DropoutWrapper around each cell: drops the cell's outputs, not its recurrent state", examples: [{ output_keep_prob: 'keep_prob' }] },
    ),
  }),
  requiredAttributes: ['layers', 'cell'],
  attributeReferences: (attrs) => {
    const keep = (attrs['dropout'] as { output_keep_prob?: unknown } | undefined)?.output_keep_prob;
    return typeof keep === 'string' ? [{ path: 'dropout/output_keep_prob', name: keep }] : [];
  },
  infer: (ctx) => {
    const [x] = ctx.inputs;
    if (!x) return undefined;
    const op = 'stack_bidirectional_rnn';
    if (x.type.dtype !== 'float32') return ctx.error('GC501', { op, detail: `takes a float32 sequence, '${x.name}' is ${x.type.dtype}` }, 'inputs/0');
    if (x.type.shape.length !== 3) {
      return ctx.error('GC503', { op, input: x.name, rank: x.type.shape.length, expected: '3 ([batch, time, features]); reshape it first' }, 'inputs/0');
    }
    if (x.type.shape[2] === null) return ctx.error('GC507', { op, detail: `the feature dimension of '${x.name}' must be known` }, 'inputs/0');
    const keep = (ctx.attrs['dropout'] as { output_keep_prob?: unknown } | undefined)?.output_keep_prob;
    if (typeof keep === 'string') {
      const type = ctx.typeOf(keep);
      if (type && (type.dtype !== 'float32' || type.shape.length !== 0)) {
        return ctx.error('GC501', { op, detail: `output_keep_prob '${keep}' must be a float32 scalar, it is ${type.dtype} of rank ${type.shape.length}` }, 'dropout/output_keep_prob');
      }
    }
    const units = (ctx.attrs['cell'] as { units: number }).units;
    return { dtype: 'float32', shape: [x.type.shape[0]!, x.type.shape[1]!, 2 * units] };
  },
  variables: (ctx) => {
    const cell = ctx.attrs['cell'] as { type: string; units: number };
    const config = { cell: cell.type, layers: ctx.attrs['layers'], inputSize: ctx.inputTypes[0]!.shape[2], units: cell.units };
    return { tsType: 'rnn.BidirectionalLayer[]', create: `rnn.createStackBidirectionalWeights(init, ${literal(ctx.node)}, ${literal(config)})` };
  },
  lower: (ctx) => {
    const cell = ctx.attrs['cell'] as { type: string };
    const keep = (ctx.attrs['dropout'] as { output_keep_prob?: unknown } | undefined)?.output_keep_prob;
    const keepExpr = typeof keep === 'string' ? ctx.reference(keep) : literal(keep ?? 1);
    return `rnn.stackBidirectionalDynamicRnn(${ctx.inputs[0]}, ${ctx.variables}, { cell: ${literal(cell.type)}, outputKeepProb: ${keepExpr}, random: ctx.random, exampleOffset: ctx.exampleOffset })`;
  },
  runtime: ['rnn'],
};
