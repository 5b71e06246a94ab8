import { describe, expect, it } from 'vitest';
import { accuracy } from '../../../src/compiler/ops/accuracy.js';
import { add } from '../../../src/compiler/ops/add.js';
import { clipByValue } from '../../../src/compiler/ops/clip_by_value.js';
import { div } from '../../../src/compiler/ops/div.js';
import { equal } from '../../../src/compiler/ops/equal.js';
import { gelu } from '../../../src/compiler/ops/gelu.js';
import { huber } from '../../../src/compiler/ops/huber.js';
import { leakyRelu } from '../../../src/compiler/ops/leaky_relu.js';
import { mae } from '../../../src/compiler/ops/mae.js';
import { maximum } from '../../../src/compiler/ops/maximum.js';
import { meanSquaredError } from '../../../src/compiler/ops/mean_squared_error.js';
import { minimum } from '../../../src/compiler/ops/minimum.js';
import { mul } from '../../../src/compiler/ops/mul.js';
import type { LowerContext, OpDefinition } from '../../../src/compiler/ops/op.js';
import { pow } from '../../../src/compiler/ops/pow.js';
import { rmse } from '../../../src/compiler/ops/rmse.js';
import { sigmoid } from '../../../src/compiler/ops/sigmoid.js';
import { sigmoidCrossEntropy } from '../../../src/compiler/ops/sigmoid_cross_entropy.js';
import { softmaxCrossEntropyWithLogits } from '../../../src/compiler/ops/softmax_cross_entropy_with_logits.js';
import { sparseSoftmaxCrossEntropy } from '../../../src/compiler/ops/sparse_softmax_cross_entropy.js';
import { sqrt } from '../../../src/compiler/ops/sqrt.js';
import { sub } from '../../../src/compiler/ops/sub.js';
import { topKAccuracy } from '../../../src/compiler/ops/top_k_accuracy.js';
import { where } from '../../../src/compiler/ops/where.js';
import type { TensorType } from '../../../src/compiler/types/tensor.js';
import { float32, infer } from './helpers.js';

const int32 = (...shape: (number | null)[]): TensorType => ({ dtype: 'int32', shape });
const bool = (...shape: (number | null)[]): TensorType => ({ dtype: 'bool', shape });

function lower(op: OpDefinition, inputs: readonly string[], inputTypes: readonly TensorType[], attrs: Record<string, unknown> = {}): string {
  const type = infer(op, inputTypes, attrs as never).type!;
  const ctx: LowerContext = { node: 'y', attrs: attrs as never, inputs, inputTypes, type, variables: 'vars.y', reference: (name) => name };
  return op.lower(ctx);
}

describe('unary element-wise ops', () => {
  it('keep the float32 input type; an int32 input is GC501 at inputs/0', () => {
    for (const op of [sigmoid, sqrt, gelu, leakyRelu]) {
      expect(infer(op, [float32(null, 3, 4)], {}).type).toEqual(float32(null, 3, 4));
      expect(infer(op, [int32(null)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    }
  });

  it('lower to one call with their attributes, defaults filled in', () => {
    expect(lower(sigmoid, ['h'], [float32(null, 4)])).toBe('tf.sigmoid<tf.Tensor2D>(h)');
    expect(lower(gelu, ['h'], [float32(null, 4)])).toBe("nn.gelu<tf.Tensor2D>(h, 'none')");
    expect(lower(gelu, ['h'], [float32(null, 4)], { approximate: 'tanh' })).toBe("nn.gelu<tf.Tensor2D>(h, 'tanh')");
    expect(lower(leakyRelu, ['h'], [float32(null, 4)])).toBe('tf.leakyRelu<tf.Tensor2D>(h, 0.2)');
    expect(lower(clipByValue, ['p'], [float32(null, 4)], { clip_value_min: 0, clip_value_max: 6 })).toBe('tf.clipByValue<tf.Tensor2D>(p, 0, 6)');
  });

  it('clip_by_value: a minimum above the maximum is GC522 at clip_value_max', () => {
    expect(infer(clipByValue, [float32(2)], { clip_value_min: 1, clip_value_max: 1 }).type).toEqual(float32(2));
    expect(infer(clipByValue, [float32(2)], { clip_value_min: 2, clip_value_max: 1 }).errors).toEqual([{ code: 'GC522', path: 'clip_value_max' }]);
  });
});

describe('broadcasting binary ops (NumPy rule)', () => {
  const ops = [add, sub, mul, div, maximum, minimum, pow, equal];
  it('align trailing dimensions; 1 and the unknown batch stretch', () => {
    for (const op of ops) {
      const dtype = op === equal ? 'bool' : 'float32';
      expect(infer(op, [float32(null, 10), float32(10)], {}).type).toEqual({ dtype, shape: [null, 10] });
      expect(infer(op, [float32(null, 1), float32(1, 10)], {}).type).toEqual({ dtype, shape: [null, 10] });
      expect(infer(op, [float32(), float32(3, 4)], {}).type).toEqual({ dtype, shape: [3, 4] });
      expect(infer(op, [float32(null, 4, 1), float32(3)], {}).type).toEqual({ dtype, shape: [null, 4, 3] });
    }
  });

  it('a mismatch is GC506 at inputs; mixed dtypes GC501 at inputs/1', () => {
    for (const op of ops) {
      expect(infer(op, [float32(null, 10), float32(7)], {}).errors).toEqual([{ code: 'GC506', path: 'inputs' }]);
      expect(infer(op, [float32(3, 4), float32(4, 3)], {}).errors).toEqual([{ code: 'GC506', path: 'inputs' }]);
      expect(infer(op, [float32(3), int32(3)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/1' }]);
    }
    for (const op of [pow, div]) expect(infer(op, [int32(3), int32(3)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(maximum, [int32(3), int32(3)], {}).type).toEqual(int32(3));
  });

  it('where: bool condition, x and y of one dtype, three shapes broadcast together', () => {
    expect(infer(where, [bool(null, 5), float32(), float32(null, 5)], {}).type).toEqual(float32(null, 5));
    expect(infer(where, [bool(null, 1), float32(5), int32(null, 5)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/2' }]);
    expect(infer(where, [float32(null, 5), float32(5), float32(5)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(where, [bool(null, 5), float32(5), float32(4)], {}).errors).toEqual([{ code: 'GC506', path: 'inputs' }]);
    expect(infer(where, [bool(3), float32(2, 1), float32(1)], {}).type).toEqual(float32(2, 3));
    expect(lower(where, ['mask', 'x', 'y'], [bool(null, 5), float32(), float32(null, 5)])).toBe('nn.where<tf.Tensor2D>(mask, x, y)');
  });
});

describe('losses', () => {
  it('the cross-entropies give a scalar, or the per-example losses without the class axis with reduction none', () => {
    expect(infer(softmaxCrossEntropyWithLogits, [float32(null, 10), float32(null, 10)], {}).type).toEqual(float32());
    expect(infer(softmaxCrossEntropyWithLogits, [float32(null, 10), float32(null, 10)], { reduction: 'none' }).type).toEqual(float32(null));
    expect(infer(softmaxCrossEntropyWithLogits, [float32(null, 7, 10), float32(null, 7, 10)], { reduction: 'none' }).type).toEqual(float32(null, 7));
    expect(infer(sparseSoftmaxCrossEntropy, [int32(null), float32(null, 10)], { reduction: 'none' }).type).toEqual(float32(null));
    expect(infer(sparseSoftmaxCrossEntropy, [int32(null, 7), float32(null, 7, 10)], { reduction: 'sum' }).type).toEqual(float32());
    expect(infer(sigmoidCrossEntropy, [float32(null, 3), float32(null, 3)], { reduction: 'none' }).type).toEqual(float32(null, 3));
  });

  it('labels of the wrong dtype are GC524 (the cross-entropies) or GC501 at inputs/0', () => {
    expect(infer(softmaxCrossEntropyWithLogits, [int32(null, 10), float32(null, 10)], {}).errors).toEqual([{ code: 'GC524', path: 'inputs/0' }]);
    expect(infer(sparseSoftmaxCrossEntropy, [float32(null), float32(null, 10)], {}).errors).toEqual([{ code: 'GC524', path: 'inputs/0' }]);
    expect(infer(sigmoidCrossEntropy, [int32(null, 3), float32(null, 3)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(meanSquaredError, [float32(null, 3), int32(null, 3)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/1' }]);
  });

  it('labels shaped unlike the logits are GC521; logits of rank 1 GC503', () => {
    expect(infer(softmaxCrossEntropyWithLogits, [float32(null, 5), float32(null, 10)], {}).errors).toEqual([{ code: 'GC521', path: 'inputs/0' }]);
    expect(infer(sparseSoftmaxCrossEntropy, [int32(null, 1), float32(null, 10)], {}).errors).toEqual([{ code: 'GC521', path: 'inputs/0' }]);
    expect(infer(meanSquaredError, [float32(null), float32(null, 1)], {}).errors).toEqual([{ code: 'GC521', path: 'inputs/0' }]);
    expect(infer(sparseSoftmaxCrossEntropy, [int32(), float32(null)], {}).errors).toEqual([{ code: 'GC503', path: 'inputs/1' }]);
  });

  it('weights broadcast to the per-example losses without enlarging them (GC520), float32 only', () => {
    const ce = (weights: TensorType) => infer(softmaxCrossEntropyWithLogits, [float32(null, 10), float32(null, 10), weights], {});
    expect(ce(float32(null)).type).toEqual(float32());
    expect(ce(float32()).type).toEqual(float32());
    expect(ce(float32(1)).type).toEqual(float32());
    expect(ce(float32(null, 10)).errors).toEqual([{ code: 'GC520', path: 'inputs/2' }]);
    expect(ce(float32(3, 1)).errors).toEqual([{ code: 'GC520', path: 'inputs/2' }]);
    expect(ce(int32(null)).errors).toEqual([{ code: 'GC501', path: 'inputs/2' }]);
    expect(infer(huber, [float32(null, 4), float32(null, 4), float32(null, 1)], { reduction: 'none' }).type).toEqual(float32(null, 4));
  });

  it('count a kept value per element of the logits in the memory estimate', () => {
    const ctx = { node: 'loss', attrs: {}, inputTypes: [int32(null, 7), float32(null, 7, 10)], type: float32() };
    expect(sparseSoftmaxCrossEntropy.activationsPerExample!(ctx)).toBe(70);
  });

  it('lower to one call of the losses namespace with an options object', () => {
    expect(lower(sparseSoftmaxCrossEntropy, ['feeds.ids', 'logits'], [int32(null), float32(null, 10)])).toBe(
      "losses.sparseSoftmaxCrossEntropy<tf.Scalar>(feeds.ids, logits, { reduction: 'mean' })",
    );
    expect(lower(huber, ['t', 'p', 'w'], [float32(null), float32(null), float32(null)], { reduction: 'none', delta: 2 })).toBe(
      "losses.huber<tf.Tensor1D>(t, p, { delta: 2, reduction: 'none', weights: w })",
    );
    expect(lower(huber, ['t', 'p'], [float32(null), float32(null)])).toBe("losses.huber<tf.Scalar>(t, p, { delta: 1, reduction: 'mean' })");
  });
});

describe('metrics', () => {
  it('accuracy and top_k_accuracy take int32 ids or one-hot rows and give a float32 scalar', () => {
    expect(infer(accuracy, [int32(null), float32(null, 10)], {}).type).toEqual(float32());
    expect(infer(accuracy, [float32(null, 10), float32(null, 10)], {}).type).toEqual(float32());
    expect(infer(accuracy, [bool(null), float32(null, 10)], {}).errors).toEqual([{ code: 'GC501', path: 'inputs/0' }]);
    expect(infer(accuracy, [int32(null, 10), float32(null, 10)], {}).errors).toEqual([{ code: 'GC521', path: 'inputs/0' }]);
    expect(infer(topKAccuracy, [int32(null), float32(null, 10)], { k: 3 }).type).toEqual(float32());
    expect(infer(topKAccuracy, [int32(null), float32(null, 10)], { k: 11 }).errors).toEqual([{ code: 'GC523', path: 'k' }]);
    expect(infer(topKAccuracy, [int32(null), float32(null, 5)], {}).type).toEqual(float32());
    expect(infer(topKAccuracy, [int32(null), float32(null, 3)], {}).errors).toEqual([{ code: 'GC523', path: 'k' }]);
    expect(lower(topKAccuracy, ['ids', 'logits'], [int32(null), float32(null, 10)], { k: 3 })).toBe('metrics.topKAccuracy(ids, logits, 3)');
  });

  it('mae and rmse take float32 targets of the predictions\' shape', () => {
    expect(infer(mae, [float32(null, 1), float32(null, 1)], {}).type).toEqual(float32());
    expect(infer(rmse, [float32(null), float32(null, 1)], {}).errors).toEqual([{ code: 'GC521', path: 'inputs/0' }]);
    expect(lower(rmse, ['t', 'p'], [float32(null), float32(null)])).toBe('metrics.rootMeanSquaredError(t, p)');
  });
});
