import type { PeerCase, PeerInput } from '../harness.js';
import { multiRnnTorch, torchGru } from '../rnn_torch.js';

// TF1's dynamic_rnn over MultiRNNCell against tf1.py's hand-written cells; the keep probability is fed 1.
const keep = { keep_prob: { dtype: 'float32' as const, shape: [], value: 1 } };

const rnn = (cell: string, layers: number, shape: [number, number, number], units: number, batch = false): PeerCase => ({
  name: `${cell}, ${layers} layer${layers > 1 ? 's' : ''}, ${batch ? 'batch ' : ''}[${shape.join(', ')}] → ${units}`,
  node: { op: 'dynamic_rnn', layers, cell: { type: cell, units }, dropout: { output_keep_prob: 'keep_prob' } },
  inputs: [{ shape, batch }],
  extraPlaceholders: keep,
  variableRange: [-0.5, 0.5],
  torch: `tf1.dynamic_rnn(x0, v, '${cell}', ${layers})`,
});

const x = (batch: number, time: number, features: number): PeerInput => ({ shape: [batch, time, features], batch: true });
const lengths = (values: number[]): PeerInput => ({ shape: [values.length], dtype: 'int32', values, batch: true });
const tolerance = { rtol: 1e-4, atol: 5e-5 };

const RECURRENT_OPTIONS: readonly PeerCase[] = [
  ...(['gru', 'block_gru'] as const).flatMap((type): PeerCase[] => [
    {
      name: `${type}, reset_after, 2 layers, [3, 5, 4] → 6 (torch.nn.GRU)`,
      node: { op: 'dynamic_rnn', layers: 2, cell: { type, units: 6, reset_after: true } },
      inputs: [x(3, 5, 4)],
      torch: torchGru(2, false, 'sequences', false),
      tolerance,
    },
    {
      name: `${type}, reset_after, lengths [5, 2, 1, 4], last output (torch.nn.GRU, packed)`,
      node: { op: 'dynamic_rnn', layers: 1, cell: { type, units: 5, reset_after: true }, return_sequences: false },
      inputs: [x(4, 5, 3), lengths([5, 2, 1, 4])],
      torch: torchGru(1, false, 'last', true),
      tolerance,
    },
    {
      name: `${type}, TF1 form, lengths [6, 3, 1], every step`,
      node: { op: 'dynamic_rnn', layers: 2, cell: { type, units: 4 } },
      inputs: [x(3, 6, 3), lengths([6, 3, 1])],
      torch: multiRnnTorch(2, 'gru', 'sequences', true),
      tolerance,
    },
  ]),
  {
    name: 'gru, reset_after, lengths [4, 2, 3], final state (torch.nn.GRU h_n)',
    node: { op: 'dynamic_rnn', layers: 2, cell: { type: 'gru', units: 5, reset_after: true }, return_state: true },
    inputs: [x(3, 4, 3), lengths([4, 2, 3])],
    torch: torchGru(2, false, 'state', true),
    tolerance,
  },
  ...(['lstm', 'block_lstm'] as const).flatMap((type): PeerCase[] => [
    {
      name: `${type}, lengths [2, 5, 3], final state concat([c, h])`,
      node: { op: 'dynamic_rnn', layers: 1, cell: { type, units: 4 }, return_state: true },
      inputs: [x(3, 5, 3), lengths([2, 5, 3])],
      torch: multiRnnTorch(1, 'lstm', 'state', true),
      tolerance,
    },
  ]),
  {
    name: 'lstm, lengths [3, 1], last output',
    node: { op: 'dynamic_rnn', layers: 1, cell: { type: 'lstm', units: 4 }, return_sequences: false },
    inputs: [x(2, 4, 3), lengths([3, 1])],
    torch: multiRnnTorch(1, 'lstm', 'last', true),
    tolerance,
  },
];

export const cases: readonly PeerCase[] = [
  rnn('gru', 1, [3, 4, 5], 6, true),
  rnn('gru', 2, [2, 5, 3], 4),
  rnn('block_gru', 1, [3, 4, 5], 6, true),
  rnn('block_gru', 2, [2, 5, 3], 4),
  rnn('lstm', 1, [3, 4, 5], 6, true),
  rnn('lstm', 2, [2, 5, 3], 4),
  rnn('block_lstm', 1, [3, 4, 5], 6, true),
  rnn('block_lstm', 2, [2, 5, 3], 4),
  // reset_after (against torch.nn.GRU), sequence lengths, the last output and the final state: test/peer/rnn_torch.ts.
  ...RECURRENT_OPTIONS,
];
