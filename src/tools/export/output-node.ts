/**
 * Which node of a graph holds the class probabilities that `predict` prints
 * and `export` outputs: the one named with --output, or else the graph's only
 * (or last) softmax over [batch, classes] (10 for MNIST; a file dataset's own),
 * a softmax op or a dense layer with the softmax activation.
 */
import { fail } from '../../common/diagnostics/diagnostic.js';
import type { IrGraph, IrNode } from '../../compiler/2-ir/graph.js';
import { NUM_CLASSES } from '../../runtime/data/dataset.js';
import { suggest } from '../../common/suggest.js';

export interface OutputNode {
  readonly node: IrNode;
  /** True when the node is not a softmax, so its values are scores to pass through softmax. */
  readonly needsSoftmax: boolean;
}

/** How many classes the graph's dataset has (0 for a regression dataset, whose label has none). */
export function datasetClasses(graph: IrGraph): number {
  const dataset = graph.train.dataset;
  if (dataset === 'mnist') return NUM_CLASSES;
  const classes = dataset.label.classes;
  return classes === undefined ? 0 : typeof classes === 'number' ? classes : classes.length;
}

/** The class names to print: a file dataset's names, or the ids as text. */
export function classNames(graph: IrGraph): string[] {
  const dataset = graph.train.dataset;
  if (dataset !== 'mnist' && Array.isArray(dataset.label.classes)) return [...(dataset.label.classes as readonly string[])];
  return Array.from({ length: datasetClasses(graph) }, (_, i) => String(i));
}

export function findOutputNode(graph: IrGraph, requested?: string): OutputNode {
  const classes = datasetClasses(graph);
  const isClassScores = (node: IrNode): boolean => {
    const [batch, width, ...rest] = node.type.shape;
    return !node.outputs && node.type.dtype === 'float32' && rest.length === 0 && batch === null && width === classes;
  };
  // Probabilities already: a softmax over the classes (the last axis), not over the batch, or a dense layer ending in one (Keras's style, graphs/cnn.yaml's y_conv).
  const isProbabilities = (node: IrNode): boolean =>
    (node.op.name === 'softmax' && [undefined, -1, 1].includes(node.attrs['axis'] as number | undefined)) || (node.op.name === 'dense' && node.attrs['activation'] === 'softmax');
  const candidates = graph.nodes.filter(isClassScores);
  const names = candidates.map((n) => n.name);
  if (requested !== undefined) {
    const node = graph.nodes.find((n) => n.name === requested);
    if (!node) {
      const hint = suggest(requested, graph.nodes.map((n) => n.name));
      return fail('GC756', { reason: 'unknown_node', node: requested, ...(hint ? { suggestion: hint } : {}), candidates: names });
    }
    if (!isClassScores(node)) return fail('GC756', { reason: 'not_class_scores', node: requested, type: node.type, classes, candidates: names });
    return { node, needsSoftmax: !isProbabilities(node) };
  }
  const softmax = candidates.filter(isProbabilities).at(-1);
  if (softmax) return { node: softmax, needsSoftmax: false };
  return fail('GC756', { reason: 'no_softmax', classes, candidates: names });
}

/**
 * The node holding a regression model's predictions: the one named with
 * --output, or else the first input beside the targets placeholder (fed
 * batch.targets) of the first node on the loss's path that reads it, as
 * `sub(predicted, target)` or `mean_squared_error(targets, predictions)` do.
 */
export function findPredictionNode(graph: IrGraph, requested?: string): IrNode {
  const target = Object.entries(graph.train.feeds.eval).find(([, v]) => v === 'batch.targets')?.[0];
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  if (requested !== undefined) {
    const node = byName.get(requested);
    if (node) return node;
    return fail('GC618', { placeholder: target ?? 'batch.targets', candidates: [], unknown: requested, suggestion: suggest(requested, graph.nodes.map((n) => n.name)) });
  }
  const onLossPath = new Set<string>();
  const visit = (name: string): void => {
    if (onLossPath.has(name)) return;
    onLossPath.add(name);
    for (const input of byName.get(name)?.inputs ?? []) visit(input);
  };
  visit(graph.train.loss);
  const comparing = graph.nodes.filter((n) => target !== undefined && n.inputs.length >= 2 && n.inputs.includes(target));
  const compared = (n: IrNode): IrNode | undefined => byName.get(n.inputs.find((i) => i !== target)!);
  const found = comparing.filter((n) => onLossPath.has(n.name)).map(compared).find((n) => n !== undefined);
  if (found) return found;
  return fail('GC618', { placeholder: target ?? 'batch.targets', candidates: comparing.map(compared).filter((n) => n !== undefined).map((n) => n.name) });
}
