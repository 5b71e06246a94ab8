/**
 * The recurrent stacks' options: reset_after GRU cells, sequence lengths (a
 * second input, int32 [batch]), return_sequences and return_state — their
 * shapes, their diagnostics, their variables and their lowering.
 */
import { describe, expect, it } from 'vitest';
import { dynamicRnn } from '../../../src/compiler/ops/dynamic_rnn.js';
import { stackBidirectionalRnn } from '../../../src/compiler/ops/stack_bidirectional_rnn.js';
import type { Attrs } from '../../../src/compiler/ops/op.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import { float32, infer } from './helpers.js';

const int32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'int32', shape });
const x = float32(null, 40, 16);

describe('return_sequences and return_state', () => {
  const gru = { layers: 2, cell: { type: 'gru', units: 8 } };
  const lstm = { layers: 1, cell: { type: 'block_lstm', units: 8 } };
  it('give every step by default, the last output with return_sequences: false, the final state with return_state: true', () => {
    expect(infer(dynamicRnn, [x], { ...gru, return_sequences: true }).type).toEqual(float32(null, 40, 8));
    expect(infer(dynamicRnn, [x], { ...gru, return_sequences: false }).type).toEqual(float32(null, 8));
    expect(infer(stackBidirectionalRnn, [x], { ...gru, return_sequences: false }).type).toEqual(float32(null, 16));
    expect(infer(dynamicRnn, [x], { ...gru, return_state: true }).type).toEqual(float32(null, 8));
    expect(infer(stackBidirectionalRnn, [x], { ...gru, return_state: true, return_sequences: false }).type).toEqual(float32(null, 16));
  });

  it("an LSTM's state is c and h: twice the width", () => {
    expect(infer(dynamicRnn, [x], { ...lstm, return_state: true }).type).toEqual(float32(null, 16));
    expect(infer(stackBidirectionalRnn, [x], { ...lstm, return_state: true }).type).toEqual(float32(null, 32));
    expect(infer(stackBidirectionalRnn, [x], { ...lstm, return_sequences: false }).type).toEqual(float32(null, 16));
  });

  it('return_state with return_sequences: true is GC562 (a node has one value)', () => {
    expect(infer(dynamicRnn, [x], { ...gru, return_state: true, return_sequences: true }).errors).toEqual([{ code: 'GC562', path: 'return_state' }]);
  });

  it('lower to the runtime\'s output option, and leave it out by default', () => {
    const lower = (attrs: Attrs, inputs = ['X']) =>
      dynamicRnn.lower({ node: 'enc', attrs, inputs, inputTypes: [x], type: float32(null, 8), variables: 'vars.enc', reference: (n) => `feeds.${n}` });
    expect(lower(gru)).toBe("rnn.multiRnn(X, vars.enc, { cell: 'gru', outputKeepProb: 1, random: ctx.random, exampleOffset: ctx.exampleOffset })");
    expect(lower({ ...gru, return_sequences: false })).toContain("exampleOffset: ctx.exampleOffset, output: 'last' })");
    expect(lower({ ...gru, return_state: true }, ['X', 'feeds.lengths'])).toContain("exampleOffset: ctx.exampleOffset, lengths: feeds.lengths, output: 'state' })");
  });
});

describe('sequence lengths', () => {
  const attrs = { layers: 1, cell: { type: 'block_gru', units: 8 } };
  it('take int32 [batch] as a second input', () => {
    expect(infer(dynamicRnn, [x, int32(null)], attrs).type).toEqual(float32(null, 40, 8));
    expect(infer(stackBidirectionalRnn, [float32(32, 40, 16), int32(32)], attrs).type).toEqual(float32(32, 40, 16));
  });

  it('of another dtype are GC561, of another rank GC503, of another batch GC561', () => {
    expect(infer(dynamicRnn, [x, float32(null)], attrs).errors).toEqual([{ code: 'GC561', path: 'inputs/1' }]);
    expect(infer(dynamicRnn, [x, int32(null, 1)], attrs).errors).toEqual([{ code: 'GC503', path: 'inputs/1' }]);
    expect(infer(stackBidirectionalRnn, [float32(32, 40, 16), int32(16)], attrs).errors).toEqual([{ code: 'GC561', path: 'inputs/1' }]);
  });
});

describe('reset_after', () => {
  const context = (cell: { type: string; units: number; reset_after?: boolean }) => ({ node: 'enc', attrs: { layers: 2, cell }, inputTypes: [x], type: float32(null, 40, 8) });
  it('adds the recurrent candidate bias to the variables and to the parameter count', () => {
    const tf1 = dynamicRnn.variables!(context({ type: 'gru', units: 8 }));
    const after = dynamicRnn.variables!(context({ type: 'gru', units: 8, reset_after: true }));
    expect(tf1.create).toBe("rnn.createMultiRnnWeights(init, 'enc', { cell: 'gru', layers: 2, inputSize: 16, units: 8 })");
    expect(after.create).toBe("rnn.createMultiRnnWeights(init, 'enc', { cell: 'gru', layers: 2, inputSize: 16, units: 8, resetAfter: true })");
    expect(after.parameters - tf1.parameters).toBe(2 * 8);
    expect(stackBidirectionalRnn.variables!(context({ type: 'block_gru', units: 8, reset_after: true })).parameters - stackBidirectionalRnn.variables!(context({ type: 'block_gru', units: 8 })).parameters).toBe(2 * 2 * 8);
  });

  it('on an LSTM cell is GC560, located at the attribute', () => {
    expect(infer(dynamicRnn, [x], { layers: 1, cell: { type: 'lstm', units: 8, reset_after: true } }).errors).toEqual([{ code: 'GC560', path: 'cell/reset_after' }]);
    expect(infer(dynamicRnn, [x], { layers: 1, cell: { type: 'lstm', units: 8, reset_after: false } }).errors).toEqual([]);
  });
});
