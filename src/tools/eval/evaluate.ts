/**
 * A trained model evaluated with its report: the spec's metrics and the
 * predictions the report counts, read in the same passes over the test set.
 */
import { fail, GraphcError, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { labelWidth, type DataSet } from '../../runtime/data/dataset.js';
import type { TrainedModel } from '../../runtime/inference.js';
import { classNames, datasetClasses, findOutputNode, findPredictionNode } from '../export/output-node.js';
import { classificationReport, confusionMatrix, regressionReport, type EvaluationReport } from './report.js';

export interface Evaluated {
  readonly metrics: Record<string, number>;
  readonly report: EvaluationReport;
  /** The node whose values the report counts. */
  readonly node: string;
}

/** The spec's metrics alone, when the graph has no node a report could read and none was named (a custom metric's spec). */
export interface MetricsOnly {
  readonly metrics: Record<string, number>;
  /** Why there is no report: the diagnostic that finding the node raised. */
  readonly noReport: Diagnostic;
}

/**
 * evaluateWithReport, or the metrics alone when no --output was given and
 * the graph has no softmax over the classes (nor a prediction compared with
 * the targets) for a report to read.
 */
export function evaluateForEval(
  graph: IrGraph,
  trained: Pick<TrainedModel<unknown, unknown, unknown>, 'evaluate'>,
  test: DataSet,
  batchSize: number,
  options: { readonly output?: string; readonly onBatch?: (done: number, total: number) => void } = {},
): Evaluated | MetricsOnly {
  if (options.output === undefined) {
    try {
      if (datasetClasses(graph) > 0) findOutputNode(graph, undefined);
      else findPredictionNode(graph, undefined);
    } catch (error) {
      const found = error instanceof GraphcError ? error.diagnostics.find((d) => d.code === 'GC756' || d.code === 'GC618') : undefined;
      if (found === undefined) throw error;
      return { metrics: trained.evaluate(test, batchSize, options.onBatch), noReport: found };
    }
  }
  return evaluateWithReport(graph, trained, test, batchSize, options);
}

/** The index of the largest of `width` values from `offset` (the first on a tie, as argmax). */
function argmax(values: ArrayLike<number>, offset: number, width: number): number {
  let best = 0;
  for (let c = 1; c < width; c++) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}

/**
 * Evaluates `trained` on the whole of `test`: a classification graph's
 * predicted class is the argmax of its class scores (the node predict reads,
 * or `output`), a regression graph's values those of the node compared with
 * the targets (or `output`).
 */
export function evaluateWithReport(
  graph: IrGraph,
  trained: Pick<TrainedModel<unknown, unknown, unknown>, 'evaluate'>,
  test: DataSet,
  batchSize: number,
  options: { readonly output?: string; readonly onBatch?: (done: number, total: number) => void } = {},
): Evaluated {
  const classes = datasetClasses(graph);
  const width = labelWidth(test.shape);
  if (classes > 0) {
    const node = findOutputNode(graph, options.output).node.name;
    const truth = new Int32Array(test.count);
    const predicted = new Int32Array(test.count);
    const metrics = trained.evaluate(test, batchSize, options.onBatch, {
      nodes: [node],
      each([scores], start, size) {
        if (scores!.length !== size * classes) fail('GC733', { node, values: scores!.length / size, expected: classes, what: 'classes' });
        for (let i = 0; i < size; i++) {
          truth[start + i] = argmax(test.labels, (start + i) * width, width);
          predicted[start + i] = argmax(scores!, i * classes, classes);
        }
      },
    });
    return { metrics, node, report: classificationReport(confusionMatrix(truth, predicted, classes), classNames(graph)) };
  }
  const node = findPredictionNode(graph, options.output).name;
  const predictions = new Float64Array(test.count * width);
  const metrics = trained.evaluate(test, batchSize, options.onBatch, {
    nodes: [node],
    each([values], start, size) {
      if (values!.length !== size * width) fail('GC733', { node, values: values!.length / size, expected: width, what: 'targets' });
      predictions.set(values!, start * width);
    },
  });
  const dataset = graph.train.dataset;
  const names = dataset === 'mnist' ? [] : (dataset.label.columns ?? [dataset.label.column ?? 'target']);
  return { metrics, node, report: regressionReport(test.labels.subarray(0, test.count * width), predictions, test.count, names) };
}
