/**
 * stack_bidirectional_rnn against PyTorch: TF1's cells as a hand-written
 * recurrence, and reset_after GRUs against a bidirectional torch.nn.GRU,
 * whose layers feed the next one concat([fw, bw]) as TF1's stack does
 * (test/peer/rnn_torch.ts); with sequence lengths (the backward direction
 * reversed within each length), the last output and the final state.
 */
import type { PeerCase, PeerInput } from '../harness.js';
import { bidirectionalTorch, torchGru } from '../rnn_torch.js';

const x = (batch: number, time: number, features: number): PeerInput => ({ shape: [batch, time, features], batch: true });
const lengths = (values: number[]): PeerInput => ({ shape: [values.length], dtype: 'int32', values, batch: true });
const tolerance = { rtol: 1e-4, atol: 5e-5 };

export const cases: readonly PeerCase[] = [
  ...(['gru', 'block_gru'] as const).flatMap((type): PeerCase[] => [
    {
      name: `${type}, TF1 form, 2 layers, [3, 5, 4] → 2·5`,
      node: { op: 'stack_bidirectional_rnn', layers: 2, cell: { type, units: 5 } },
      inputs: [x(3, 5, 4)],
      torch: bidirectionalTorch(2, 'gru', 'sequences', false),
      tolerance,
    },
    {
      name: `${type}, reset_after, 2 layers, [3, 5, 4] → 2·5 (bidirectional torch.nn.GRU)`,
      node: { op: 'stack_bidirectional_rnn', layers: 2, cell: { type, units: 5, reset_after: true } },
      inputs: [x(3, 5, 4)],
      torch: torchGru(2, true, 'sequences', false),
      tolerance,
    },
    {
      name: `${type}, reset_after, lengths [6, 2, 4, 1], every step (torch.nn.GRU, packed)`,
      node: { op: 'stack_bidirectional_rnn', layers: 2, cell: { type, units: 4, reset_after: true } },
      inputs: [x(4, 6, 3), lengths([6, 2, 4, 1])],
      torch: torchGru(2, true, 'sequences', true),
      tolerance,
    },
    {
      name: `${type}, TF1 form, lengths [4, 2, 3], last output`,
      node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type, units: 4 }, return_sequences: false },
      inputs: [x(3, 4, 3), lengths([4, 2, 3])],
      torch: bidirectionalTorch(1, 'gru', 'last', true),
      tolerance,
    },
  ]),
  {
    name: 'block_gru, reset_after, lengths [5, 3, 2], final state (bidirectional torch.nn.GRU h_n)',
    node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type: 'block_gru', units: 4, reset_after: true }, return_state: true },
    inputs: [x(3, 5, 3), lengths([5, 3, 2])],
    torch: torchGru(1, true, 'state', true),
    tolerance,
  },
  {
    name: 'gru, reset_after, lengths [3, 1], last output (bidirectional torch.nn.GRU, packed)',
    node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type: 'gru', units: 3, reset_after: true }, return_sequences: false },
    inputs: [x(2, 4, 3), lengths([3, 1])],
    torch: torchGru(1, true, 'last', true),
    tolerance,
  },
  ...(['lstm', 'block_lstm'] as const).flatMap((type): PeerCase[] => [
    {
      name: `${type}, 2 layers, [3, 5, 4] → 2·4`,
      node: { op: 'stack_bidirectional_rnn', layers: 2, cell: { type, units: 4 } },
      inputs: [x(3, 5, 4)],
      torch: bidirectionalTorch(2, 'lstm', 'sequences', false),
      tolerance,
    },
    {
      name: `${type}, lengths [5, 2, 3], final state`,
      node: { op: 'stack_bidirectional_rnn', layers: 1, cell: { type, units: 3 }, return_state: true },
      inputs: [x(3, 5, 3), lengths([5, 2, 3])],
      torch: bidirectionalTorch(1, 'lstm', 'state', true),
      tolerance,
    },
  ]),
];
