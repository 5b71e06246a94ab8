/** What the metric ops share: (labels, predictions) in, a float32 scalar out, computed by one function of `metrics`. */
import type { JsonValue } from '../../types/json.js';
import type { JsonSchema, SchemaBuilder } from '../../types/schema-builder.js';
import { literal } from '../../types/typescript.js';
import type { InferContext, LowerContext, OpDefinition } from '../op.js';
import { checkLabels } from './loss.js';

export interface MetricSpec {
  readonly name: string;
  readonly summary: string;
  readonly example: Readonly<Record<string, JsonValue>>;
  readonly inputs: string;
  /** Classification metrics take class ids or one-hot rows; the others float32 targets of the predictions' shape. */
  readonly classification: boolean;
  /** The runtime function in `metrics`. */
  readonly fn: string;
  readonly attributes?: (b: SchemaBuilder) => Record<string, JsonSchema>;
  readonly requiredAttributes?: readonly string[];
  /** Further checks once the inputs are; the predictions' shape is given. */
  readonly check?: (ctx: InferContext, predictions: readonly (number | null)[]) => boolean;
  /** Attribute values passed after the inputs (top_k_accuracy's k). */
  readonly args?: (ctx: LowerContext) => readonly JsonValue[];
}

export function metricOp(spec: MetricSpec): OpDefinition {
  return {
    name: spec.name,
    summary: spec.summary,
    example: spec.example,
    inputs: { min: 2, max: 2, description: spec.inputs },
    attributes: spec.attributes ?? (() => ({})),
    ...(spec.requiredAttributes ? { requiredAttributes: spec.requiredAttributes } : {}),
    infer: (ctx) => {
      const labels = ctx.inputs[0]!;
      const kind = !spec.classification ? 'targets' : labels.type.dtype === 'int32' ? 'class_ids' : 'probabilities';
      if (spec.classification && labels.type.dtype === 'bool') {
        return ctx.error('GC501', { op: spec.name, kind: 'wrong_dtype', role: 'input', expected: ['int32', 'float32'], input: labels.name, actual: labels.type.dtype }, 'inputs/0');
      }
      const shape = checkLabels(ctx, spec.name, 'predictions', kind, spec.classification ? 2 : 0);
      if (!shape || (spec.check && !spec.check(ctx, shape))) return undefined;
      return { dtype: 'float32', shape: [] };
    },
    lower: (ctx) => `metrics.${spec.fn}(${[...ctx.inputs, ...(spec.args?.(ctx) ?? []).map(literal)].join(', ')})`,
    runtime: ['metrics'],
  };
}
