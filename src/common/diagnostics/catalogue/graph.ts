/** The diagnostics of graph structure and the training section. */
import { didYouMean, entry, list, tensorType, type TensorTypeParam } from './entry.js';

/** What is wrong with a log line template; LogFormatError carries one. Positions are 1-based. */
export type LogFormatProblem =
  | { readonly kind: 'unclosed_brace'; readonly position: number }
  | { readonly kind: 'not_a_field'; readonly text: string }
  | { readonly kind: 'unsupported_format'; readonly format: string; readonly field: string }
  | { readonly kind: 'unmatched_close'; readonly position: number };

export function describeLogFormatProblem(p: LogFormatProblem): string {
  switch (p.kind) {
    case 'unclosed_brace':
      return `'{' at position ${p.position} is never closed`;
    case 'not_a_field':
      return `'{${p.text}}' does not name a field`;
    case 'unsupported_format':
      return `format '${p.format}' of {${p.field}} is not supported (use .Nf or d)`;
    case 'unmatched_close':
      return `'}' at position ${p.position} has no matching '{' (write '}}' for a brace)`;
  }
}

/** Why a checkpoint's variables do not fit a model; CheckpointMismatch carries one. */

type FeedProblem =
  | { readonly kind: 'number_for_tensor'; readonly value: number; readonly type: TensorTypeParam }
  | { readonly kind: 'not_integer'; readonly value: number }
  | { readonly kind: 'number_for_bool' }
  | { readonly kind: 'bool_for_non_bool'; readonly value: boolean; readonly type: TensorTypeParam }
  | { readonly kind: 'dtype'; readonly field: string; readonly fieldDtype: string; readonly dtype: string }
  | { readonly kind: 'rank'; readonly field: string; readonly fieldType: TensorTypeParam; readonly type: TensorTypeParam }
  | { readonly kind: 'shape'; readonly field: string; readonly fieldType: TensorTypeParam; readonly type: TensorTypeParam };

function describeFeed(p: FeedProblem): string {
  switch (p.kind) {
    case 'number_for_tensor':
      return `a number can only feed a scalar placeholder; '${tensorType(p.type)}' needs ${p.value === 0 ? 'a tensor' : 'a batch field'}`;
    case 'not_integer':
      return `${p.value} is not an integer, and the placeholder is int32`;
    case 'number_for_bool':
      return 'a bool placeholder cannot take a number';
    case 'bool_for_non_bool':
      return `${p.value} can only feed a bool scalar placeholder, not '${tensorType(p.type)}'`;
    case 'dtype':
      return `${p.field} is ${p.fieldDtype}, the placeholder is ${p.dtype}`;
    case 'rank':
      return `${p.field} has shape ${tensorType(p.fieldType)} (rank ${p.fieldType.shape.length}), the placeholder is ${tensorType(p.type)}`;
    case 'shape':
      return `${p.field} has shape ${tensorType(p.fieldType)}, the placeholder is ${tensorType(p.type)}`;
  }
}

export const graphDiagnostics = {
  // GC4xx: graph structure and the training section
  GC401: entry<{ name: string; suggestion?: string; kind: string }>('error', 'unknown_reference', (p) =>
    `'${p.name}' is not a ${p.kind}${didYouMean(p.suggestion)}`),
  GC402: entry<{ cycle: readonly string[] }>('error', 'cycle', (p) => `the graph has a cycle: ${p.cycle.join(' -> ')}`),
  GC403: entry<{ name: string; other: string }>('error', 'duplicate_name', (p) => `'${p.name}' is already declared as ${p.other}`),
  GC404: entry<{ op: string; count: number; expected: string }>('error', 'wrong_input_count', (p) =>
    `op '${p.op}' takes ${p.expected} input${p.expected === '1' ? '' : 's'}, got ${p.count}`),
  GC405: entry<{ placeholder: string }>('warning', 'unused_placeholder', (p) => `placeholder '${p.placeholder}' is fed but no node uses it (add \`unused: true\` to it if that is intended)`),
  GC406: entry<{ node: string } & ({ problem: 'not_scalar'; type: TensorTypeParam } | { problem: 'no_variables' })>('error', 'bad_loss', (p) =>
    `loss '${p.node}' ${p.problem === 'not_scalar' ? `must be a float32 scalar, it is ${tensorType(p.type)}; reduce it (e.g. reduce_mean) first` : 'does not depend on any variable, so training has nothing to update'}`),
  GC407: entry<{ placeholder: string; phase: string }>('error', 'placeholder_not_fed', (p) =>
    `placeholder '${p.placeholder}' is used by the graph but not fed in the '${p.phase}' phase`),
  GC408: entry<{ placeholder: string; problem: FeedProblem }>('error', 'bad_feed', (p) => `cannot feed '${p.placeholder}': ${describeFeed(p.problem)}`),
  GC409: entry<{ metric: string; node: string; type: TensorTypeParam }>('error', 'bad_metric', (p) =>
    `metric '${p.metric}' (node '${p.node}') must be a numeric scalar, it is ${tensorType(p.type)}`),
  GC410: entry<{ field: string; suggestion?: string; allowed: readonly string[] }>('error', 'bad_log_field', (p) =>
    `unknown field '{${p.field}}' in the log line${didYouMean(p.suggestion)}; available: ${list(p.allowed)}`),
  GC411: entry<{ problem: LogFormatProblem }>('error', 'bad_log_format', (p) => `bad log line: ${describeLogFormatProblem(p.problem)}`),
  GC412: entry<{ node: string }>('warning', 'unused_node', (p) => `node '${p.node}' is computed but neither the loss nor a metric uses it`),
} as const;
