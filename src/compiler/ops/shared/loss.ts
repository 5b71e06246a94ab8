/**
 * What the loss and metric ops share: inputs in tf.losses' order (labels, then
 * logits or predictions, then optional weights), the labels' shape rule, the
 * `reduction` attribute and TF1's weighting (runtime/losses.ts states it).
 */
import type { Dim, TensorType } from '../../types/tensor.js';
import type { JsonValue } from '../../types/json.js';
import type { JsonSchema, SchemaBuilder } from '../../types/schema-builder.js';
import { literal, tsTensorType } from '../../types/typescript.js';
import type { InferContext, InputInfo, LowerContext, OpDefinition } from '../op.js';
import { broadcastShapes } from './elementwise.js';

export const REDUCTIONS = ['mean', 'sum', 'none'] as const;

/** Shapes equal up to unknown (batch) dimensions, which are checked when the step runs. */
export function sameShape(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

/** Two shapes that sameShape accepts, merged: a known dimension wins over an unknown one. */
function merge(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  return a.map((d, i) => d ?? b[i] ?? null);
}

export type LabelKind =
  /** float32, shaped like the logits: one-hot rows or probabilities (softmax cross-entropy). */
  | 'probabilities'
  /** int32 class ids, the logits' shape without the class axis. */
  | 'class_ids'
  /** float32 targets shaped like the predictions (regression, binary or multi-label targets). */
  | 'targets';

/**
 * Checks the labels against the predictions (float32, at least `minRank`);
 * returns the predictions' shape with the labels' known dimensions filled in,
 * or undefined after reporting.
 */
export function checkLabels(ctx: InferContext, op: string, role: string, kind: LabelKind, minRank: number): Dim[] | undefined {
  const [labels, predictions] = ctx.inputs as [InputInfo, InputInfo];
  if (predictions.type.dtype !== 'float32') {
    return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: predictions.name, actual: predictions.type.dtype, castFirst: true }, 'inputs/1');
  }
  const rank = predictions.type.shape.length;
  if (rank < minRank) {
    return ctx.error('GC503', { op, input: predictions.name, rank, expected: minRank === 2 ? '2 or more ([batch, classes])' : `${minRank} or more` }, 'inputs/1');
  }
  if (kind === 'targets') {
    if (labels.type.dtype !== 'float32') {
      return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: labels.name, actual: labels.type.dtype, castFirst: true }, 'inputs/0');
    }
  } else if (labels.type.dtype !== (kind === 'class_ids' ? 'int32' : 'float32')) {
    return ctx.error('GC524', { op, input: labels.name, actual: labels.type.dtype, takes: kind }, 'inputs/0');
  }
  const expected = kind === 'class_ids' ? predictions.type.shape.slice(0, -1) : predictions.type.shape;
  if (!sameShape(labels.type.shape, expected)) {
    return ctx.error(
      'GC521',
      { op, labels: labels.name, labelsShape: labels.type.shape, role, predictions: predictions.name, predictionsShape: predictions.type.shape, rule: kind === 'class_ids' ? 'without_classes' : 'same' },
      'inputs/0',
    );
  }
  return kind === 'class_ids' ? [...merge(expected, labels.type.shape), predictions.type.shape[rank - 1]!] : merge(predictions.type.shape, labels.type.shape);
}

/** The `reduction` attribute. */
export function reductionSchema(b: SchemaBuilder): JsonSchema {
  return b.enumOf(REDUCTIONS, {
    description:
      'mean: the weighted mean, Σ weights·losses / Σ weights (the weights broadcast to the losses first; 0 when they sum to 0), the plain mean without weights; sum: Σ weights·losses; none: the weighted per-example losses',
    default: 'mean',
  });
}

/**
 * The type of a loss with per-example losses of `losses` shape: a scalar, or
 * that shape with reduction none; checks the optional weights (inputs/2).
 */
export function lossType(ctx: InferContext, op: string, losses: readonly Dim[]): TensorType | undefined {
  const weights = ctx.inputs[2];
  if (weights) {
    if (weights.type.dtype !== 'float32') {
      return ctx.error('GC501', { op, kind: 'wrong_dtype', role: 'input', expected: ['float32'], input: weights.name, actual: weights.type.dtype, castFirst: true }, 'inputs/2');
    }
    const joint = broadcastShapes(losses, weights.type.shape);
    if (!joint || !sameShape(joint, losses)) return ctx.error('GC520', { op, input: weights.name, shape: weights.type.shape, losses }, 'inputs/2');
  }
  return { dtype: 'float32', shape: ctx.attrs['reduction'] === 'none' ? [...losses] : [] };
}

/** `losses.<fn><tf.Scalar>(labels, logits, { …extra, reduction, weights })`. */
export function lowerLoss(ctx: LowerContext, fn: string, extra: Record<string, JsonValue> = {}, expressions: Record<string, string> = {}): string {
  const [labels, predictions, weights] = ctx.inputs;
  const options = [
    ...Object.entries(expressions).map(([key, code]) => `${key}: ${code}`),
    ...Object.entries({ ...extra, reduction: ctx.attrs['reduction'] ?? 'mean' }).map(([key, value]) => `${key}: ${literal(value)}`),
  ];
  if (weights !== undefined) options.push(`weights: ${weights}`);
  return `losses.${fn}<${tsTensorType(ctx.type.shape.length)}>(${labels}, ${predictions}, { ${options.join(', ')} })`;
}

/** What a loss op file states; lossOp adds the shared parts. */
export interface LossSpec {
  readonly name: string;
  readonly summary: string;
  readonly example: Readonly<Record<string, JsonValue>>;
  /** What the op calls its second input in diagnostics and the reference. */
  readonly role: 'logits' | 'predictions';
  readonly labels: LabelKind;
  /** The runtime function in `losses`. */
  readonly fn: string;
  /** Per-example losses drop the class axis (the cross-entropies over classes). */
  readonly overClasses: boolean;
  readonly inputs: string;
  readonly attributes?: (b: SchemaBuilder) => Record<string, JsonSchema>;
  /** Attribute values the runtime function takes beside the reduction (huber's delta). */
  readonly options?: (ctx: LowerContext) => Record<string, JsonValue>;
  /** Takes `class_weights` (the cross-entropies over classes). */
  readonly classWeights?: boolean;
}

/** The `class_weights` attribute of the cross-entropies: a list, or `balanced` (weights from the training split's class counts). */
function classWeightsSchema(b: SchemaBuilder): JsonSchema {
  return b.oneOf(
    [
      {
        type: 'array',
        items: b.number({ description: "a class's weight", minimum: 0 }),
        minItems: 1,
        description: 'one weight per class',
        examples: [[1, 5]],
      },
      b.enumOf(['balanced'], {
        description:
          "balanced: n_samples / (n_classes · count_c) from the training split's labels (after the validation split is held out), as scikit-learn's compute_class_weight('balanced') and Keras's class_weight give them; a class the training split lacks gets 0",
      }),
    ],
    {
      description:
        "for unbalanced data: each example's loss is multiplied by its class's weight (with probability labels, Σ labels·class_weights), times any weights input; mean is then Σ w·loss / Σ w, as PyTorch's cross_entropy(weight=…) with class ids. balanced: n_samples / (n_classes · count_c), counted from the training split's labels when the run starts (after the validation split is held out; a class it lacks gets 0), as scikit-learn's compute_class_weight('balanced') and Keras give them; it needs a dataset with classes, and the run's checkpoints keep the weights",
      examples: [[1, 5], 'balanced'],
    },
  );
}

export function lossOp(spec: LossSpec): OpDefinition {
  return {
    name: spec.name,
    summary: spec.summary,
    example: spec.example,
    inputs: { min: 2, max: 3, description: spec.inputs },
    attributes: (b) => ({ ...spec.attributes?.(b), ...(spec.classWeights ? { class_weights: classWeightsSchema(b) } : {}), reduction: reductionSchema(b) }),
    infer: (ctx) => {
      const shape = checkLabels(ctx, spec.name, spec.role, spec.labels, spec.overClasses ? 2 : 0);
      if (!shape) return undefined;
      const weights = ctx.attrs['class_weights'];
      const classes = shape.at(-1);
      if (Array.isArray(weights) && classes !== null && classes !== undefined && weights.length !== classes) {
        return ctx.error('GC573', { op: spec.name, weights: weights.length, classes }, 'class_weights');
      }
      return lossType(ctx, spec.name, spec.overClasses ? shape.slice(0, -1) : shape);
    },
    lower: (ctx) => {
      const classWeights = ctx.attrs['class_weights'];
      // Balanced weights are counted from the training split when the run starts: the forward pass's context carries them.
      const balanced: Record<string, string> = classWeights === 'balanced' ? { classWeights: `losses.balancedWeightsOf(ctx, ${literal(ctx.node)})` } : {};
      return lowerLoss(ctx, spec.fn, { ...spec.options?.(ctx), ...(Array.isArray(classWeights) ? { classWeights } : {}) }, balanced);
    },
    // The backward pass keeps a value per element of the logits or predictions (the log-probabilities, the per-element losses), not only the reduced output.
    activationsPerExample: (ctx) => ctx.inputTypes[1]!.shape.reduce<number>((n, d) => n * (d ?? 1), 1),
    runtime: ['losses'],
  };
}
