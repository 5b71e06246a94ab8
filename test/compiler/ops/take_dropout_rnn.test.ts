import { describe, expect, it } from 'vitest';
import { dropout } from '../../../src/compiler/ops/dropout.js';
import { dynamicRnn } from '../../../src/compiler/ops/dynamic_rnn.js';
import { relu } from '../../../src/compiler/ops/relu.js';
import { stackBidirectionalRnn } from '../../../src/compiler/ops/stack_bidirectional_rnn.js';
import { take } from '../../../src/compiler/ops/take.js';
import { float32, infer } from './helpers.js';

describe('take', () => {
  it('drops the indexed axis; negative axes and indices count from the end', () => {
    expect(infer(take, [float32(null, 28, 64)], { axis: 1, index: -1 }).type).toEqual(float32(null, 64));
    expect(infer(take, [float32(null, 28, 64)], { axis: -2, index: 0 }).type).toEqual(float32(null, 64));
    expect(infer(take, [float32(null, 28, 64)], { axis: 2, index: 63 }).type).toEqual(float32(null, 28));
    expect(infer(take, [{ dtype: 'int32', shape: [5] }], { axis: 0, index: -5 }).type).toEqual({ dtype: 'int32', shape: [] });
  });

  it('an index outside the axis is GC511; an axis outside the rank GC505; the batch axis is checked at run time', () => {
    expect(infer(take, [float32(null, 28, 64)], { axis: 1, index: 28 }).errors).toEqual([{ code: 'GC511', path: 'index' }]);
    expect(infer(take, [float32(null, 28, 64)], { axis: 1, index: -29 }).errors).toEqual([{ code: 'GC511', path: 'index' }]);
    expect(infer(take, [float32(null, 28, 64)], { axis: 3, index: 0 }).errors).toEqual([{ code: 'GC505', path: 'axis' }]);
    expect(infer(take, [float32(null, 28, 64)], { axis: 0, index: 1000 }).type).toEqual(float32(28, 64));
  });
});

describe('dropout and relu', () => {
  it('keep the input type; dropout checks a named keep probability', () => {
    const keep = { keep: float32(), wrong: float32(null) };
    expect(infer(dropout, [float32(null, 10)], { keep_prob: 'keep' }, keep).type).toEqual(float32(null, 10));
    expect(infer(dropout, [float32(null, 10)], { keep_prob: 0.5 }, keep).type).toEqual(float32(null, 10));
    expect(infer(dropout, [float32(null, 10)], { keep_prob: 'wrong' }, keep).errors).toEqual([{ code: 'GC501', path: 'keep_prob' }]);
    expect(infer(dropout, [{ dtype: 'int32', shape: [null] }], { keep_prob: 0.5 }).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(relu, [float32(null, 3, 3, 8)], {}).type).toEqual(float32(null, 3, 3, 8));
  });

  it('dropout names its keep probability as a reference, so the placeholder counts as used', () => {
    expect(dropout.attributeReferences!({ keep_prob: 'keep' })).toEqual([{ path: 'keep_prob', name: 'keep' }]);
    expect(dropout.attributeReferences!({ keep_prob: 0.5 })).toEqual([]);
  });
});

describe('dynamic_rnn and stack_bidirectional_rnn', () => {
  const attrs = { layers: 2, cell: { type: 'block_lstm', units: 32 }, dropout: { output_keep_prob: 'keep' } };
  it('give [batch, time, units] and [batch, time, 2·units]', () => {
    expect(infer(dynamicRnn, [float32(null, 28, 28)], attrs, { keep: float32() }).type).toEqual(float32(null, 28, 32));
    expect(infer(stackBidirectionalRnn, [float32(null, 28, 28)], attrs, { keep: float32() }).type).toEqual(float32(null, 28, 64));
  });

  it('declare variables typed by the cell family', () => {
    const context = (cell: string) => ({ node: 'outputs', attrs: { ...attrs, cell: { type: cell, units: 8 } }, inputTypes: [float32(null, 28, 28)], type: float32(null, 28, 8) });
    expect(dynamicRnn.variables!(context('lstm')).tsType).toBe('rnn.LstmWeights[]');
    expect(dynamicRnn.variables!(context('block_gru')).tsType).toBe('rnn.GruWeights[]');
    expect(stackBidirectionalRnn.variables!(context('block_lstm')).tsType).toBe('rnn.BidirectionalLayer<rnn.LstmWeights>[]');
    expect(stackBidirectionalRnn.variables!(context('gru')).tsType).toBe('rnn.BidirectionalLayer[]');
    expect(dynamicRnn.variables!(context('lstm')).create).toBe("rnn.createMultiRnnWeights(init, 'outputs', { cell: 'lstm', layers: 2, inputSize: 28, units: 8 })");
  });
});
