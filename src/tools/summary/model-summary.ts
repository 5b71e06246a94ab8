/**
 * `graphc summary`: a graph as Keras's model.summary() prints a model, one
 * row per placeholder and node in the graph's order, with its op, output
 * shape, parameters and memory, then the totals. The memory is graphc
 * check's estimate (compiler/2-ir/memory.ts), node by node: a node's
 * parameters and state, and the activations it keeps per example with their
 * gradients.
 */
import type { IrGraph } from '../../compiler/2-ir/graph.js';
import { activationBytes, activationsPerExample, BYTES_PER_VALUE, type MemoryEstimate } from '../../compiler/2-ir/memory.js';
import type { TensorType } from '../../compiler/types/tensor.js';
import { bytes } from '../../common/bytes.js';

export interface SummaryRow {
  readonly name: string;
  /** The op, or `placeholder`. */
  readonly op: string;
  /** One shape per output, unknown (batch) dimensions null. */
  readonly shapes: readonly (readonly (number | null)[])[];
  readonly inputs: readonly string[];
  /** Trainable values the node owns. */
  readonly parameters: number;
  /** Non-trainable state it owns (batch_norm's moving statistics). */
  readonly state: number;
  /** (parameters + state) · 4 bytes. */
  readonly parameterBytes: number;
  /** Bytes of the activations it keeps per example, with their gradients (0 for a placeholder, which the estimate does not count). */
  readonly activationBytes: number;
}

export interface ModelSummary {
  readonly model: string;
  readonly rows: readonly SummaryRow[];
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly parameterBytes: number;
  readonly activationBytesPerExample: number;
  readonly batchSize: number;
  /** graphc check's estimate for a batch: parameters with their gradients and the optimizer's slots, state, and a batch's activations. */
  readonly trainingBytes: number;
  readonly optimizerSlots: number;
}

export function summarize(graph: IrGraph, memory: MemoryEstimate): ModelSummary {
  const placeholders: SummaryRow[] = graph.placeholders.map((p) => ({
    name: p.name,
    op: 'placeholder',
    shapes: [p.type.shape],
    inputs: [],
    parameters: 0,
    state: 0,
    parameterBytes: 0,
    activationBytes: 0,
  }));
  const nodes: SummaryRow[] = graph.nodes.map((n) => {
    const parameters = n.variables?.parameters ?? 0;
    const state = n.variables?.state ?? 0;
    return {
      name: n.name,
      op: n.op.name,
      shapes: (n.outputs ?? [n.type]).map((t: TensorType) => t.shape),
      inputs: n.inputs,
      parameters,
      state,
      parameterBytes: (parameters + state) * BYTES_PER_VALUE,
      activationBytes: activationBytes(activationsPerExample(n)),
    };
  });
  const rows = [...placeholders, ...nodes];
  return {
    model: graph.name,
    rows,
    trainable: memory.parameters,
    nonTrainable: memory.state,
    parameterBytes: (memory.parameters + memory.state) * BYTES_PER_VALUE,
    activationBytesPerExample: memory.bytesPerExample,
    batchSize: graph.train.batchSize,
    trainingBytes: memory.modelBytes + memory.bytesPerExample * graph.train.batchSize,
    optimizerSlots: memory.optimizerSlots,
  };
}

/** A shape as Keras prints one: (None, 28, 28). */
function kerasShape(shape: readonly (number | null)[]): string {
  return shape.length === 1 ? `(${shape[0] ?? 'None'},)` : `(${shape.map((d) => d ?? 'None').join(', ')})`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The summary as Keras prints it, with graphc's memory columns. */
export function formatSummary(s: ModelSummary): string {
  const header = ['Node (op)', 'Output shape', 'Param #', 'Param memory', 'Activations/example', 'Inputs'];
  const rows = s.rows.map((r) => [
    `${r.name} (${r.op})`,
    r.shapes.map(kerasShape).join(', '),
    count(r.parameters + r.state),
    r.parameterBytes === 0 ? '0' : bytes(r.parameterBytes),
    r.op === 'placeholder' ? '-' : r.activationBytes === 0 ? '0' : bytes(r.activationBytes),
    r.inputs.join(', '),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const right = new Set([2, 3, 4]);
  const line = (cells: readonly string[]): string => cells.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('   ').trimEnd();
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1));
  const slots = s.optimizerSlots > 0 ? ` and ${s.optimizerSlots} optimizer slot${s.optimizerSlots === 1 ? '' : 's'}` : '';
  return [
    `Model: "${s.model}"`,
    rule('_'),
    line(header),
    rule('='),
    ...rows.map(line),
    rule('='),
    `Total params: ${count(s.trainable + s.nonTrainable)} (${bytes(s.parameterBytes)})`,
    `Trainable params: ${count(s.trainable)} (${bytes(s.trainable * BYTES_PER_VALUE)})`,
    `Non-trainable params: ${count(s.nonTrainable)} (${bytes(s.nonTrainable * BYTES_PER_VALUE)})${s.nonTrainable > 0 ? ': batch_norm\'s moving statistics' : ''}`,
    `Activations per example: ${bytes(s.activationBytesPerExample)} (with their gradients)`,
    `Estimated training memory: ${bytes(s.trainingBytes)} for a batch of ${s.batchSize} (parameters with gradients${slots}, and the batch's activations)`,
    rule('_'),
  ].join('\n');
}
