/**
 * Which node of a graph holds the class probabilities that `predict` prints
 * and `export` outputs: the one named with --output, or else the graph's only
 * (or last) softmax over [batch, 10].
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

function isClassScores(node: IrNode): boolean {
  const [batch, classes, ...rest] = node.type.shape;
  return node.type.dtype === 'float32' && rest.length === 0 && batch === null && classes === NUM_CLASSES;
}

export function findOutputNode(graph: IrGraph, requested?: string): OutputNode {
  const candidates = graph.nodes.filter(isClassScores);
  const names = candidates.map((n) => n.name);
  if (requested !== undefined) {
    const node = graph.nodes.find((n) => n.name === requested);
    if (!node) {
      const hint = suggest(requested, graph.nodes.map((n) => n.name));
      return fail('GC756', { reason: 'unknown_node', node: requested, ...(hint ? { suggestion: hint } : {}), candidates: names });
    }
    if (!isClassScores(node)) return fail('GC756', { reason: 'not_class_scores', node: requested, type: node.type, classes: NUM_CLASSES, candidates: names });
    return { node, needsSoftmax: node.op.name !== 'softmax' };
  }
  const softmax = candidates.filter((n) => n.op.name === 'softmax').at(-1);
  if (softmax) return { node: softmax, needsSoftmax: false };
  return fail('GC756', { reason: 'no_softmax', classes: NUM_CLASSES, candidates: names });
}
