/**
 * An imported graph as a spec's text: the model's nodes as ONNX named them,
 * then a train section that fine-tunes it. A model that reads MNIST-sized
 * examples (784 values) and gives 10 classes trains on MNIST as it stands;
 * any other trains on NPY files the spec names (docs/data.md), with a
 * cross-entropy loss for a [batch, classes] output and a squared error
 * otherwise. The schedule is a starting point to edit.
 */
import type { Dim } from './values.js';
import type { ImportedGraph, SpecNode } from './import.js';

/** YAML's flow style for a node's body: bare keys, strings bare where YAML reads them back as the same string. */
export function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return /^[$A-Za-z_][A-Za-z0-9_]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
  if (value === null) return 'null';
  return String(value);
}

const MNIST_PIXELS = 784;
const MNIST_CLASSES = 10;

export interface SpecText {
  readonly text: string;
  /** The placeholder the model's input is fed through, and the node holding the model's output. */
  readonly input: string;
  readonly output: string;
  /** mnist, or the NPY files the spec's dataset names (relative to the spec). */
  readonly dataset: 'mnist' | { readonly train: { features: string; labels: string }; readonly test: { features: string; labels: string } };
}

function known(shape: readonly Dim[]): number[] | undefined {
  return shape.every((d) => d !== null) ? (shape as number[]) : undefined;
}

export function specText(graph: ImportedGraph, name: string, source: string, paths: { readonly spec: string; readonly checkpoint: string }): SpecText {
  const [input] = graph.placeholders;
  const [output] = graph.outputs;
  if (input === undefined || output === undefined) throw new Error('an imported graph has an input and an output');
  const exampleShape = input.shape.slice(1);
  const exampleSize = known(exampleShape)?.reduce((a, b) => a * b, 1);
  const outputWidth = output.shape.length === 2 ? output.shape[1] : undefined;
  const mnist = graph.placeholders.length === 1 && input.dtype === 'float32' && input.shape[0] === null && exampleSize === MNIST_PIXELS && outputWidth === MNIST_CLASSES;
  const classifier = output.shape.length === 2 && typeof outputWidth === 'number';

  const lines: string[] = [
    '# yaml-language-server: $schema=../schema/graphc.schema.json',
    '#',
    `# Imported by graphc import from ${source}: the nodes are the ONNX graph's, named after`,
    '# its nodes; the weights are in the checkpoint beside this file. Train from them with',
    `#   graphc run ${paths.spec} --init ${paths.checkpoint}`,
    '# Sizes are params, but the imported weights fit only the sizes they were trained with.',
    `name: ${name}`,
    `description: ${flow(`Imported from ${source} (ONNX opset ${graph.opset}).`)}`,
    '',
    'params:',
    '  lr: 1.0e-3',
    ...Object.entries(graph.params).map(([k, v]) => `  ${k}: ${v}`),
    '',
    'placeholders:',
  ];
  const placeholderNames = new Set(graph.placeholders.map((p) => p.name));
  const free = (base: string): string => {
    let candidate = base;
    for (let i = 2; placeholderNames.has(candidate) || graph.nodes.some((n) => n.name === candidate); i++) candidate = `${base}_${i}`;
    placeholderNames.add(candidate);
    return candidate;
  };
  const nodes: SpecNode[] = [...graph.nodes];
  let feedInput = input.name;
  if (mnist) {
    // MNIST feeds [batch, 784]: the model's own input shape is a reshape of it.
    const image = exampleShape.length === 1 ? undefined : free(`${input.name}_image`);
    if (image !== undefined) {
      lines.push(`  ${image}: {dtype: float32, shape: [null, ${MNIST_PIXELS}]}`);
      nodes.unshift({ name: input.name, body: { op: 'reshape', inputs: [image], shape: [-1, ...exampleShape] }, comment: `The model's input '${input.onnxName}', ${flow(['batch', ...exampleShape])}, from MNIST's rows of 784 pixels` });
      feedInput = image;
    } else {
      lines.push(`  ${input.name}: {dtype: float32, shape: [null, ${MNIST_PIXELS}]}`);
    }
  } else {
    for (const p of graph.placeholders) lines.push(`  ${p.name}: ${flow({ dtype: p.dtype, shape: p.shape })}`);
  }
  const labels = free(classifier ? 'label_ids' : 'targets');
  lines.push(classifier ? `  ${labels}: {dtype: int32, shape: [null]}` : `  ${labels}: ${flow({ dtype: 'float32', shape: output.shape })}`);

  lines.push('', 'nodes:');
  for (const node of nodes) {
    if (node.comment) lines.push(`  # ${node.comment}`);
    lines.push(`  ${node.name}: ${flow(node.body)}`);
  }
  const loss = free('loss');
  const accuracy = classifier ? free('accuracy') : undefined;
  const logits = output.logits ?? output.node;
  lines.push('', '  # Fine-tuning: the loss and metrics graphc trains and reports.');
  if (classifier) {
    lines.push(`  ${loss}: {op: sparse_softmax_cross_entropy, inputs: [${labels}, ${logits}]}`);
    lines.push(`  ${accuracy}: {op: accuracy, inputs: [${labels}, ${logits}]}`);
  } else {
    lines.push(`  ${loss}: {op: mean_squared_error, inputs: [${labels}, ${output.node}]}`);
  }
  const dataset: SpecText['dataset'] = mnist
    ? 'mnist'
    : {
        train: { features: `${name}-train-features.npy`, labels: `${name}-train-${classifier ? 'labels' : 'targets'}.npy` },
        test: { features: `${name}-test-features.npy`, labels: `${name}-test-${classifier ? 'labels' : 'targets'}.npy` },
      };
  const feedFeatures = mnist ? 'batch.images' : 'batch.features';
  const feedLabels = classifier ? 'batch.label_ids' : 'batch.targets';
  const feeds = `{${feedInput}: ${feedFeatures}, ${labels}: ${feedLabels}}`;
  lines.push(
    '',
    'train:',
    `  loss: ${loss}`,
    '  optimizer: {type: adam, learning_rate: $lr}',
    ...(dataset === 'mnist'
      ? ['  dataset: mnist']
      : [
          '  # Your data as NPY files beside this spec (docs/data.md): features [N, ...] as the input, labels [N] (class ids) or targets [N, ...]',
          '  dataset:',
          '    format: npy',
          `    train: ${flow(dataset.train)}`,
          `    test: ${flow(dataset.test)}`,
          ...(classifier ? [`    label: {classes: ${outputWidth}}`] : []),
        ]),
    '  steps: 1000',
    '  batch_size: 64',
    '  feeds:',
    `    train: ${feeds}`,
    `    eval: ${feeds}`,
    '  eval: {every: 100, batches: 10}',
    `  metrics: {cost: ${loss}${accuracy ? `, acc: ${accuracy}` : ''}}`,
    '',
  );
  return { text: lines.join('\n'), input: feedInput, output: output.node, dataset };
}
