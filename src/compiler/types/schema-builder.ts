/**
 * A small builder for the JSON Schema of specs. The schema has one source of
 * truth — these builders, called by the top-level schema and by each op's file —
 * and two renderings: the published one (schema/graphc.schema.json), where any
 * value may also be a `$param` expression, and the resolved one, applied after
 * params are substituted, where only literal values are valid.
 */

export type JsonSchema = { readonly [keyword: string]: unknown };

export interface SchemaMode {
  /** True for the published/editor schema: values may be `$param` expressions. */
  readonly expressions: boolean;
}

/** Names of params, placeholders and nodes: they become TypeScript identifiers. */
export const IDENTIFIER_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}$';

/** A node's input: a name, or `name:i` for output i (0 to 9999) of a node with several (types/reference.ts). */
export const REFERENCE_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}(:(0|[1-9][0-9]{0,3}))?$';

/** A string holding at least one `$param` reference, made of expression characters only. */
export const EXPRESSION_PATTERN = '^(?=.*\\$[A-Za-z_])[-0-9A-Za-z_$+*/%(). ]+$';

interface Doc {
  readonly description: string;
  readonly examples?: readonly unknown[];
  readonly default?: unknown;
}

function annotate(schema: JsonSchema, doc: Doc): JsonSchema {
  // Editors show examples on hover; a field with a default shows that value when no example is given.
  const examples = doc.examples ?? (doc.default !== undefined ? [doc.default] : undefined);
  return {
    ...schema,
    description: doc.description,
    ...(examples ? { examples } : {}),
    ...(doc.default !== undefined ? { default: doc.default } : {}),
  };
}

export class SchemaBuilder {
  constructor(readonly mode: SchemaMode) {}

  /** A value that may instead be written as a `$param` expression in the published schema. */
  private valued(base: JsonSchema, doc: Doc): JsonSchema {
    if (!this.mode.expressions) return annotate(base, doc);
    return annotate({ anyOf: [base, { type: 'string', pattern: EXPRESSION_PATTERN, description: 'a $param expression, e.g. $hidden_size or 2 * $hidden_size' }] }, doc);
  }

  integer(doc: Doc & { minimum?: number; maximum?: number }): JsonSchema {
    return this.valued(
      { type: 'integer', ...(doc.minimum !== undefined ? { minimum: doc.minimum } : {}), ...(doc.maximum !== undefined ? { maximum: doc.maximum } : {}) },
      doc,
    );
  }

  number(doc: Doc & { minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number }): JsonSchema {
    const bounds: Record<string, number> = {};
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const v = doc[k];
      if (v !== undefined) bounds[k] = v;
    }
    return this.valued({ type: 'number', ...bounds }, doc);
  }

  enumOf(values: readonly string[], doc: Doc): JsonSchema {
    return this.valued({ type: 'string', enum: [...values] }, doc);
  }

  boolean(doc: Doc): JsonSchema {
    return this.valued({ type: 'boolean' }, doc);
  }

  /** Free text (descriptions, the log line): never an expression. */
  text(doc: Doc & { minLength?: number; maxLength?: number }): JsonSchema {
    return annotate({ type: 'string', ...(doc.minLength !== undefined ? { minLength: doc.minLength } : {}), maxLength: doc.maxLength ?? 4096 }, doc);
  }

  /** The name of a placeholder or node. */
  reference(doc: Doc): JsonSchema {
    return annotate({ type: 'string', pattern: IDENTIFIER_PATTERN }, doc);
  }

  /** A placeholder name or a literal number (e.g. a keep probability). */
  referenceOrNumber(doc: Doc & { minimum?: number; maximum?: number; exclusiveMinimum?: number }): JsonSchema {
    const bounds: Record<string, number> = {};
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum'] as const) {
      const v = doc[k];
      if (v !== undefined) bounds[k] = v;
    }
    return annotate({ anyOf: [{ type: 'number', ...bounds }, { type: 'string', pattern: IDENTIFIER_PATTERN }] }, doc);
  }

  /** The inputs of a node: placeholder or node names, `name:i` for output i of a node with several (split, unstack). */
  inputs(min: number, max: number, doc: Doc): JsonSchema {
    const count = Math.max(min, Math.min(max, 2), 1);
    const example = ['x', 'y', 'z'].slice(0, count);
    return annotate(
      { type: 'array', items: { type: 'string', pattern: REFERENCE_PATTERN }, minItems: min, ...(Number.isFinite(max) ? { maxItems: max } : {}) },
      { examples: [example], ...doc },
    );
  }

  /** A static shape: integers, -1 for one inferred dimension, and (for placeholders) null for the batch. */
  shape(doc: Doc & { allowNull: boolean; allowInfer: boolean }): JsonSchema {
    const dim = this.integer({ description: 'a dimension', minimum: doc.allowInfer ? -1 : 1 });
    const item = doc.allowNull ? { anyOf: [{ type: 'null' }, dim] } : dim;
    return annotate({ type: 'array', items: item, maxItems: 6 }, doc);
  }

  axis(doc: Doc): JsonSchema {
    return this.integer({ ...doc, minimum: -6, maximum: 5 });
  }

  object(properties: Record<string, JsonSchema>, required: readonly string[], doc: Doc): JsonSchema {
    return annotate({ type: 'object', properties, required: [...required], additionalProperties: false }, doc);
  }

  /** A map from user-chosen identifiers to values of one schema. */
  record(values: JsonSchema, doc: Doc & { minProperties?: number }): JsonSchema {
    return annotate(
      {
        type: 'object',
        propertyNames: { pattern: IDENTIFIER_PATTERN },
        additionalProperties: values,
        ...(doc.minProperties !== undefined ? { minProperties: doc.minProperties } : {}),
      },
      doc,
    );
  }

  oneOf(branches: readonly JsonSchema[], doc: Doc): JsonSchema {
    return annotate({ oneOf: [...branches] }, doc);
  }

  /** Variable initialisers, written as TF1 calls: `{truncated_normal: {stddev: 0.1}}`, `{constant: 0.1}`, `glorot_uniform`, `zeros`. */
  initializer(doc: Doc): JsonSchema {
    const num = (description: string, example: number, extra: Record<string, number> = {}): JsonSchema =>
      this.number({ description, examples: [example], ...extra });
    return this.oneOf(
      [
        { type: 'string', enum: ['glorot_uniform', 'zeros'], description: 'a parameterless initializer' },
        this.object({ constant: num('the value every element starts at', 0.1) }, ['constant'], { description: 'tf.constant_initializer(value)', examples: [{ constant: 0.1 }] }),
        this.object(
          {
            truncated_normal: this.object(
              { mean: num('mean (default 0)', 0), stddev: num('standard deviation', 0.1, { exclusiveMinimum: 0 }) },
              ['stddev'],
              { description: 'normal, re-drawn beyond two standard deviations', examples: [{ stddev: 0.1 }] },
            ),
          },
          ['truncated_normal'],
          { description: 'tf.truncated_normal_initializer', examples: [{ truncated_normal: { stddev: 0.1 } }] },
        ),
        this.object(
          {
            random_normal: this.object(
              { mean: num('mean (default 0)', 0), stddev: num('standard deviation', 0.05, { exclusiveMinimum: 0 }) },
              ['stddev'],
              { description: 'normal distribution', examples: [{ mean: 0, stddev: 0.05 }] },
            ),
          },
          ['random_normal'],
          { description: 'tf.random_normal_initializer', examples: [{ random_normal: { stddev: 0.05 } }] },
        ),
        this.object(
          {
            random_uniform: this.object({ minval: num('lower bound', -0.05), maxval: num('upper bound', 0.05) }, ['minval', 'maxval'], {
              description: 'uniform on [minval, maxval)',
              examples: [{ minval: -0.05, maxval: 0.05 }],
            }),
          },
          ['random_uniform'],
          { description: 'tf.random_uniform_initializer', examples: [{ random_uniform: { minval: -0.05, maxval: 0.05 } }] },
        ),
      ],
      doc,
    );
  }
}
