/**
 * How eval reads the predictions it reports (tools/eval/evaluate.ts): the
 * argmax of the class-score node against the labels' argmax, a regression
 * node's values against the targets, each in the batches the metrics are
 * computed in; a node of the wrong width is GC733, not a wrong report.
 */
import { describe, expect, it } from 'vitest';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { compileSpec } from '../../../src/compiler/index.js';
import type { DataSet } from '../../../src/runtime/data/dataset.js';
import { evaluateWithReport } from '../../../src/tools/eval/evaluate.js';

/** A model whose evaluation hands `values(start, size)` to the report, in batches of `batchSize`, and a metric of 0.5. */
function fakeModel(count: number, values: (start: number, size: number) => Float32Array): Parameters<typeof evaluateWithReport>[1] {
  return {
    evaluate(_test, batchSize, onBatch, also) {
      for (let start = 0; start < count; start += batchSize) {
        const size = Math.min(batchSize, count - start);
        also?.each([values(start, size)], start, size);
        onBatch?.(start / batchSize + 1, Math.ceil(count / batchSize));
      }
      return { acc: 0.5 };
    },
  };
}

const iris = compileSpec('graphs/iris.yaml', { checkOnly: true }).graph!;
const cars = compileSpec('graphs/regression.yaml', { checkOnly: true }).graph!;

describe('evaluateWithReport', () => {
  it("counts the argmax of the output node's scores against the one-hot labels, batch by batch", () => {
    // Five examples of classes 0, 1, 2, 2, 1; the model says 0, 1, 1, 2, 0.
    const labels = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0]);
    const scores = new Float32Array([0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1]);
    const test = { count: 5, labels, shape: { features: [4], classes: 3 } } as unknown as DataSet;
    const result = evaluateWithReport(iris, fakeModel(5, (start, size) => scores.slice(start * 3, (start + size) * 3)), test, 2);
    expect(result.metrics).toEqual({ acc: 0.5 });
    expect(result.report.kind).toBe('classification');
    if (result.report.kind !== 'classification') return;
    expect(result.report.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(result.report.matrix).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
  });

  it("compares a regression node's values with the targets", () => {
    const test = { count: 3, labels: new Float32Array([10, 20, 30]), shape: { features: [9], classes: 0, targets: [] } } as unknown as DataSet;
    const predictions = new Float32Array([11, 19, 33]);
    const result = evaluateWithReport(cars, fakeModel(3, (start, size) => predictions.slice(start, start + size)), test, 2);
    expect(result.node).toBe('predicted_mpg');
    expect(result.report).toMatchObject({ kind: 'regression', examples: 3, targets: [{ name: 'mpg' }] });
    if (result.report.kind !== 'regression') return;
    expect(result.report.overall.mae).toBeCloseTo(5 / 3, 6);
    expect(result.report.overall.r2).toBeCloseTo(1 - 11 / 200, 6);
  });

  it('refuses a node whose values per example are not the classes or the targets (GC733)', () => {
    const test = { count: 4, labels: new Float32Array(4), shape: { features: [9], classes: 0, targets: [] } } as unknown as DataSet;
    let message = '';
    try {
      evaluateWithReport(cars, fakeModel(4, (_start, size) => new Float32Array(size * 2)), test, 4);
    } catch (error) {
      if (!(error instanceof GraphcError)) throw error;
      message = `${error.diagnostics[0]!.code}: ${error.diagnostics[0]!.message}`;
    }
    expect(message).toBe("GC733: node 'predicted_mpg' gives 2 values per example where the test set has 1 target; name the node that holds the predictions with --output NODE");
  });
});
