/**
 * The contract every op file fulfils: its schema fragment, its shape rule,
 * the diagnostics it raises (through InferContext.error, codes from the
 * catalogue), and its lowering to one TypeScript expression. Adding an op
 * means adding one file and one line in ./index.ts.
 */
import type { Code, ParamsOf } from '../../common/diagnostics/catalogue.js';
import type { TensorType } from '../types/tensor.js';
import type { JsonValue } from '../types/json.js';
import type { JsonSchema, SchemaBuilder } from '../types/schema-builder.js';

export type Attrs = Readonly<Record<string, JsonValue | undefined>>;

/** Namespaces of 'graphc/runtime' a lowering may call, beside `tf`. */
export type RuntimeNamespace = 'rnn' | 'nn' | 'losses' | 'metrics';

export interface InputInfo {
  /** The reference as the spec writes it: a name, or `name:i` for one output of a multi-output node. */
  readonly name: string;
  readonly type: TensorType;
}

/**
 * What a multi-output op's shape rule returns (split, unstack): one type per
 * output. Its node's outputs are referenced as `name:i`, and its lowering
 * returns a tuple of them.
 */
export interface Outputs {
  readonly outputs: readonly TensorType[];
}

/** The runtime namespaces a node of `op` calls. */
export function runtimeOf(op: OpDefinition, attrs: Attrs): readonly RuntimeNamespace[] {
  return typeof op.runtime === 'function' ? op.runtime(attrs) : (op.runtime ?? []);
}

/** The output types of a shape rule's result: one for most ops, several for a multi-output op. */
export function outputTypes(result: TensorType | Outputs): readonly TensorType[] {
  return 'outputs' in result ? result.outputs : [result];
}

export interface InferContext {
  readonly node: string;
  readonly attrs: Attrs;
  readonly inputs: readonly InputInfo[];
  /** The type of a placeholder or node (or `name:i`, a node's output) named in an attribute (e.g. a keep probability). */
  typeOf(name: string): TensorType | undefined;
  /**
   * Reports a diagnostic at `attrPath` (relative to the node, e.g. 'shape/2' or
   * 'inputs/1'; the node's key when omitted) and returns undefined, so a shape
   * rule can `return ctx.error(...)`.
   */
  error<C extends Code>(code: C, params: ParamsOf<C>, attrPath?: string): undefined;
}

export interface LowerContext {
  readonly node: string;
  readonly attrs: Attrs;
  /** TypeScript expressions for the inputs, in order. */
  readonly inputs: readonly string[];
  readonly inputTypes: readonly TensorType[];
  /** This node's inferred type (a multi-output node's first output's). */
  readonly type: TensorType;
  /** A multi-output node's types, one per output; undefined for a single-output node. */
  readonly outputs?: readonly TensorType[];
  /** The TypeScript expression of this node's variables (`vars.<node>`). */
  readonly variables: string;
  /** The TypeScript expression for a placeholder or node named in an attribute. */
  reference(name: string): string;
}

export interface VariableContext {
  readonly node: string;
  readonly attrs: Attrs;
  readonly inputTypes: readonly TensorType[];
  readonly type: TensorType;
}

export interface VariableDeclaration {
  /** The TypeScript type of this node's entry in the module's `Variables`. */
  readonly tsType: string;
  /** An expression creating them from `init` (an Initializer). */
  readonly create: string;
  /** How many trainable float32 values they hold (the memory estimate, the module header). */
  readonly parameters: number;
  /**
   * How many float32 values of non-trainable state they hold (batch_norm's
   * moving statistics, created with `init.state`): no gradient, no optimizer
   * slots, kept in checkpoints. Absent: none.
   */
  readonly state?: number;
}

export interface OpDefinition {
  readonly name: string;
  /** One line for docs and editor hovers. */
  readonly summary: string;
  /** A node using the op (`{ op: 'gelu', inputs: ['h'], approximate: 'tanh' }`), for the reference and editors. */
  readonly example?: Readonly<Record<string, JsonValue>>;
  readonly inputs: { readonly min: number; readonly max: number; readonly description: string };
  /** Schema of the attributes beyond `op` and `inputs`. */
  attributes(b: SchemaBuilder): Record<string, JsonSchema>;
  readonly requiredAttributes?: readonly string[];
  /** Placeholder or node names held in attributes (not inputs), with their attribute path. */
  attributeReferences?(attrs: Attrs): readonly { readonly path: string; readonly name: string }[];
  /**
   * The shape rule: the output type, or undefined after reporting diagnostics.
   * A multi-output op returns `{ outputs }`, one type per output.
   */
  infer(ctx: InferContext): TensorType | Outputs | undefined;
  /** One TypeScript expression computing the node (a multi-output op's: a tuple, typed as one). */
  lower(ctx: LowerContext): string;
  /** Variables this node owns: trainable ones, and any non-trainable state. */
  variables?(ctx: VariableContext): VariableDeclaration;
  /**
   * Values per example that the forward pass keeps for the gradient, when
   * more than the output (an RNN keeps every step's gates); the memory estimate.
   */
  activationsPerExample?(ctx: VariableContext): number;
  /** The runtime namespaces the lowering calls; a function when that depends on the attributes (pad's mirrored modes). */
  readonly runtime?: readonly RuntimeNamespace[] | ((attrs: Attrs) => readonly RuntimeNamespace[]);
}
