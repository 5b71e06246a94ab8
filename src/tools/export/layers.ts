/**
 * Export to a TensorFlow.js Layers model (model.json + weights.bin), which
 * `tf.loadLayersModel` opens in a browser or in Node. The inference path of
 * the graph — from the placeholder fed `batch.images` to the output node — is
 * mapped op by op onto Keras layers, with the checkpoint's weights:
 *
 * - reshape [-1, …] → Reshape; reduce_mean over time of [batch, time, f] → GlobalAveragePooling1D
 * - stack_bidirectional_rnn → one Bidirectional(GRU, concat) per layer; TF1's
 *   GRUCell weights ([r | u] gates over concat(x, h), and the candidate) are
 *   rearranged into Keras's kernel, recurrent kernel and bias ([z | r | h],
 *   z being TF's u), with reset_after = false as in TF1
 * - matmul by a variable, + a bias variable, dense, softmax → Dense (folded)
 * - dynamic_rnn → one GRU or LSTM per layer (TF1's LSTM columns i, j, f, o
 *   become Keras's i, f, c, o, its forget bias 1.0 folded into the bias); a
 *   take of its last time step is the last layer's return_sequences false.
 *   A reset_after GRU has no tfjs-layers form: tfjs's GRUCell refuses
 *   reset_after (Keras's default), so it is refused here too
 * - concat → Concatenate; add of two tensors → Add
 * - batch_norm → BatchNormalization, its weights gamma, beta (when learned),
 *   moving_mean and moving_variance (the checkpoint's state), inference mode
 * - layer_norm → LayerNormalization; embedding → Embedding (int32 ids in)
 * - conv2d, conv1d (+ a bias variable) → Conv2D, Conv1D; max_pool, avg_pool →
 *   MaxPooling2D, AveragePooling2D; global pools → GlobalAverage/MaxPooling1D/2D
 * - relu, sigmoid, tanh → the activation of the layer before, or Activation
 *
 * Dropout is the identity at inference (the evaluation feed's keep
 * probability must be 1). Anything else is refused with GC758, naming the node.
 */
import type { IrGraph, IrNode } from '../../compiler/2-ir/graph.js';
import { normaliseAxis, type TensorType } from '../../compiler/types/tensor.js';
import { tf } from '../../runtime/tf.js';
import type { OutputNode } from './output-node.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { LAYER_NORM_EPSILON } from '../../compiler/ops/layer_norm.js';
import { FORGET_BIAS } from '../../runtime/kernels/lstm_sequence.js';

/** Why a node has no tfjs-layers counterpart; GC758 words each. */
type Refusal = 'reads_variable' | 'reshape_batch' | 'mean_over_time' | 'matmul_form' | 'add_form' | 'concat_batch' | 'reset_after' | 'rnn_form' | 'take_form';

export interface Weight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** The layer an affine value becomes: Dense, or a convolution (whose config is all but its bias and activation). */
type AffineLayer = { readonly type: 'dense' } | { readonly type: 'conv1d' | 'conv2d'; readonly config: Record<string, unknown> };

/**
 * What a graph value has become so far: a layer output, a variable, an affine
 * map not yet made a layer (a bias or an activation may still fold into it),
 * or a recurrent stack not yet built (whether its last layer returns every step
 * depends on what reads it).
 */
type Value =
  | { readonly kind: 'tensor'; readonly tensor: tf.SymbolicTensor }
  | { readonly kind: 'variable'; readonly weight: Weight }
  | { readonly kind: 'affine'; readonly layer: AffineLayer; readonly input: tf.SymbolicTensor; readonly kernel: Weight; readonly bias?: Weight; readonly activation: Activation; readonly name: string }
  | { readonly kind: 'sequence'; readonly build: (returnSequences: boolean) => tf.SymbolicTensor; readonly steps: number }
  | { readonly kind: 'constant' };

export interface ExportedModel {
  readonly model: tf.LayersModel;
  /** The placeholder the model's input stands for. */
  readonly input: string;
}

/** Builds the Layers model of `graph`'s inference path, with `weights` by graph variable name. */
export function toLayersModel(graph: IrGraph, output: OutputNode, weights: ReadonlyMap<string, Weight>): ExportedModel {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const evalFeeds = graph.train.feeds.eval;
  // The model's input: what the evaluation feeds the data's features (batch.images for an image set).
  const imagesPlaceholder = Object.entries(evalFeeds).find(([, v]) => v === 'batch.images' || v === 'batch.features')?.[0];
  const values = new Map<string, Value>();
  const pending: { layer: tf.layers.Layer; weights: Weight[] }[] = [];
  let input: tf.SymbolicTensor | undefined;

  const weight = (node: IrNode, name: string): Weight => {
    const w = weights.get(name);
    if (!w) return fail('GC758', { node: node.name, op: node.op.name, reason: 'missing_weight', weight: name });
    return w;
  };
  const refuse = (node: IrNode, reason: Refusal): never => fail('GC758', { node: node.name, op: node.op.name, reason });

  for (const p of graph.placeholders) {
    if (p.name === imagesPlaceholder) {
      if (p.type.shape[0] !== null) fail('GC758', { node: p.name, op: 'placeholder', reason: 'no_batch_dimension' });
      input = tf.input({ shape: p.type.shape.slice(1) as number[], name: p.name, dtype: p.type.dtype === 'int32' ? 'int32' : 'float32' });
      values.set(p.name, { kind: 'tensor', tensor: input });
    } else {
      values.set(p.name, { kind: 'constant' });
    }
  }
  if (!input) return fail('GC758', { node: output.node.name, op: output.node.op.name, reason: 'no_image_feed' });

  const materialize = (value: Value, node: IrNode): tf.SymbolicTensor => {
    if (value.kind === 'tensor') return value.tensor;
    if (value.kind === 'sequence') return value.build(true);
    if (value.kind !== 'affine') return refuse(node, 'reads_variable');
    const common = { useBias: value.bias !== undefined, activation: value.activation, name: value.name };
    const layer =
      value.layer.type === 'dense'
        ? tf.layers.dense({ units: value.kernel.shape[1]!, ...common })
        : (value.layer.type === 'conv1d' ? tf.layers.conv1d : tf.layers.conv2d)({ filters: value.kernel.shape.at(-1)!, ...value.layer.config, ...common } as Parameters<typeof tf.layers.conv2d>[0]);
    pending.push({ layer, weights: value.bias ? [value.kernel, value.bias] : [value.kernel] });
    return layer.apply(value.input) as tf.SymbolicTensor;
  };
  const layerOutput = (layer: tf.layers.Layer, inputs: tf.SymbolicTensor | tf.SymbolicTensor[], layerWeights: Weight[] = []): Value => {
    if (layerWeights.length > 0) pending.push({ layer, weights: layerWeights });
    return { kind: 'tensor', tensor: layer.apply(inputs) as tf.SymbolicTensor };
  };

  const path = pathTo(output.node.name, byName);
  for (const node of graph.nodes.filter((n) => path.has(n.name))) {
    const args = node.inputs.map((name) => values.get(name)!);
    const tensorArg = (i: number): tf.SymbolicTensor => materialize(args[i]!, node);
    const attrs = node.attrs as Record<string, unknown>;
    let value: Value;
    switch (node.op.name) {
      case 'variable':
        value = { kind: 'variable', weight: weight(node, node.name) };
        break;
      case 'reshape': {
        const shape = attrs['shape'] as number[];
        if (shape[0] !== -1 || firstInputType(node, byName, graph)?.shape[0] !== null) refuse(node, 'reshape_batch');
        value = layerOutput(tf.layers.reshape({ targetShape: shape.slice(1), name: node.name }), tensorArg(0));
        break;
      }
      case 'stack_bidirectional_rnn':
        value = { kind: 'tensor', tensor: bidirectionalStack(node, tensorArg(0), attrs, evalFeeds, weight, pending) };
        break;
      case 'reduce_mean': {
        const rank = firstInputType(node, byName, graph)?.shape.length ?? 0;
        const axis = attrs['axis'] === undefined ? undefined : normaliseAxis(attrs['axis'] as number, rank);
        if (rank !== 3 || axis !== 1 || attrs['keepdims'] === true) refuse(node, 'mean_over_time');
        value = layerOutput(tf.layers.globalAveragePooling1d({ name: node.name }), tensorArg(0));
        break;
      }
      case 'matmul': {
        const [a, b] = args;
        if (b?.kind !== 'variable' || b.weight.shape.length !== 2 || attrs['transpose_a'] === true || attrs['transpose_b'] === true) {
          refuse(node, 'matmul_form');
        }
        value = { kind: 'affine', layer: { type: 'dense' }, input: materialize(a!, node), kernel: (b as { weight: Weight }).weight, activation: 'linear', name: node.name };
        break;
      }
      case 'dense': {
        const useBias = attrs['use_bias'] !== false;
        value = {
          kind: 'affine',
          layer: { type: 'dense' },
          input: tensorArg(0),
          kernel: weight(node, `${node.name}/kernel`),
          ...(useBias ? { bias: weight(node, `${node.name}/bias`) } : {}),
          activation: (attrs['activation'] as Activation | undefined) ?? 'linear',
          name: node.name,
        };
        break;
      }
      case 'add': {
        const affine = args.find((v) => v.kind === 'affine');
        const bias = args.find((v) => v.kind === 'variable');
        if (affine?.kind === 'affine' && bias?.kind === 'variable' && !affine.bias && affine.activation === 'linear' && bias.weight.shape.length === 1) {
          value = { ...affine, bias: bias.weight };
        } else if (args.every((v) => v.kind === 'tensor' || v.kind === 'affine')) {
          value = layerOutput(tf.layers.add({ name: node.name }), args.map((_, i) => tensorArg(i)));
        } else {
          value = refuse(node, 'add_form');
        }
        break;
      }
      case 'softmax': {
        const rank = firstInputType(node, byName, graph)?.shape.length ?? 0;
        // tf.layers' softmax activation normalises the last axis only.
        if (attrs['axis'] !== undefined && normaliseAxis(attrs['axis'] as number, rank) !== rank - 1) {
          value = fail('GC758', { node: node.name, op: node.op.name, reason: 'no_counterpart', output: output.node.name });
          break;
        }
        const [x] = args;
        value = x?.kind === 'affine' && x.activation === 'linear' ? { ...x, activation: 'softmax' } : layerOutput(tf.layers.activation({ activation: 'softmax', name: node.name }), tensorArg(0));
        break;
      }
      case 'batch_norm': {
        const rank = firstInputType(node, byName, graph)?.shape.length ?? 0;
        const flag = attrs['training'];
        if (typeof flag === 'string' && evalFeeds[flag] !== false) fail('GC758', { node: node.name, op: node.op.name, reason: 'batch_norm_training_at_eval', flag });
        const center = attrs['center'] !== false;
        const scale = attrs['scale'] !== false;
        const layer = tf.layers.batchNormalization({
          axis: normaliseAxis((attrs['axis'] as number | undefined) ?? -1, rank)!,
          momentum: (attrs['momentum'] as number | undefined) ?? 0.99,
          epsilon: (attrs['epsilon'] as number | undefined) ?? 1e-3,
          center,
          scale,
          name: node.name,
        });
        // tfjs-layers' order: gamma, beta (those learned), moving_mean, moving_variance.
        const names = [...(scale ? ['gamma'] : []), ...(center ? ['beta'] : []), 'moving_mean', 'moving_variance'];
        value = layerOutput(layer, tensorArg(0), names.map((n) => weight(node, `${node.name}/${n}`)));
        break;
      }
      case 'concat': {
        const rank = firstInputType(node, byName, graph)?.shape.length ?? 0;
        const axis = normaliseAxis(attrs['axis'] as number, rank);
        if (axis === undefined || axis === 0) refuse(node, 'concat_batch');
        value = layerOutput(tf.layers.concatenate({ axis: axis!, name: node.name }), args.map((_, i) => tensorArg(i)));
        break;
      }
      case 'dynamic_rnn':
        value = recurrentStack(node, tensorArg(0), attrs, evalFeeds, weight, pending, refuse);
        break;
      case 'take': {
        const [x] = args;
        const steps = x?.kind === 'sequence' ? x.steps : undefined;
        // The last step of a recurrent stack is its last layer with return_sequences false.
        if (x?.kind !== 'sequence' || normaliseAxis(attrs['axis'] as number, 3) !== 1 || ((attrs['index'] as number) + steps!) % steps! !== steps! - 1) refuse(node, 'take_form');
        value = { kind: 'tensor', tensor: (x as { build: (r: boolean) => tf.SymbolicTensor }).build(false) };
        break;
      }
      case 'dropout': {
        const keep = attrs['keep_prob'];
        const keepAtEval = typeof keep === 'string' ? evalFeeds[keep] : keep;
        if (keepAtEval !== 1) fail('GC758', { node: node.name, op: node.op.name, reason: 'dropout_at_eval', keepAtEval: String(keepAtEval) });
        value = args[0]!;
        break;
      }
      case 'relu':
      case 'sigmoid':
      case 'tanh': {
        const [x] = args;
        const activation = node.op.name as Activation;
        value = x?.kind === 'affine' && x.activation === 'linear' ? { ...x, activation } : layerOutput(tf.layers.activation({ activation, name: node.name }), tensorArg(0));
        break;
      }
      case 'conv2d':
      case 'conv1d': {
        const [, filter] = args;
        if (filter?.kind !== 'variable') {
          value = refuse(node, 'reads_variable');
          break;
        }
        const padding = (attrs['padding'] as string).toLowerCase();
        const config =
          node.op.name === 'conv2d'
            ? { kernelSize: filter.weight.shape.slice(0, 2), strides: (attrs['strides'] as number[]).slice(1, 3), padding }
            : { kernelSize: filter.weight.shape[0], strides: (attrs['stride'] as number | undefined) ?? 1, dilationRate: (attrs['dilation'] as number | undefined) ?? 1, padding };
        value = { kind: 'affine', layer: { type: node.op.name as 'conv1d' | 'conv2d', config }, input: tensorArg(0), kernel: filter.weight, activation: 'linear', name: node.name };
        break;
      }
      case 'max_pool':
      case 'avg_pool': {
        const config = { poolSize: (attrs['ksize'] as number[]).slice(1, 3) as [number, number], strides: (attrs['strides'] as number[]).slice(1, 3) as [number, number], padding: (attrs['padding'] as string).toLowerCase() as 'same' | 'valid', name: node.name };
        value = layerOutput(node.op.name === 'max_pool' ? tf.layers.maxPooling2d(config) : tf.layers.averagePooling2d(config), tensorArg(0));
        break;
      }
      case 'global_average_pool':
      case 'global_max_pool': {
        const rank = firstInputType(node, byName, graph)?.shape.length ?? 0;
        if (attrs['keepdims'] === true) {
          value = fail('GC758', { node: node.name, op: node.op.name, reason: 'no_counterpart', output: output.node.name });
          break;
        }
        const average = node.op.name === 'global_average_pool';
        const layer = rank === 3 ? (average ? tf.layers.globalAveragePooling1d : tf.layers.globalMaxPooling1d)({ name: node.name }) : (average ? tf.layers.globalAveragePooling2d : tf.layers.globalMaxPooling2d)({ name: node.name });
        value = layerOutput(layer, tensorArg(0));
        break;
      }
      case 'embedding': {
        const table = weight(node, `${node.name}/embeddings`);
        const layer = tf.layers.embedding({ inputDim: table.shape[0]!, outputDim: table.shape[1]!, name: node.name });
        value = layerOutput(layer, tensorArg(0), [table]);
        break;
      }
      case 'layer_norm': {
        const rank = firstInputType(node, byName, graph)?.shape.length ?? 0;
        const axis = normaliseAxis((attrs['axis'] as number | undefined) ?? -1, rank)!;
        const center = attrs['center'] !== false;
        const scale = attrs['scale'] !== false;
        const layer = tf.layers.layerNormalization({ axis, epsilon: (attrs['epsilon'] as number | undefined) ?? LAYER_NORM_EPSILON, center, scale, name: node.name });
        // graphc keeps gamma and beta as [C, 1, …] to broadcast before trailing axes; Keras keeps them [C].
        const flat = (w: Weight): Weight => ({ shape: [w.values.length], values: w.values });
        value = layerOutput(layer, tensorArg(0), [...(scale ? [flat(weight(node, `${node.name}/gamma`))] : []), ...(center ? [flat(weight(node, `${node.name}/beta`))] : [])]);
        break;
      }
      default:
        value = fail('GC758', { node: node.name, op: node.op.name, reason: 'no_counterpart', output: output.node.name });
    }
    values.set(node.name, value);
  }

  let result = values.get(output.node.name)!;
  if (output.needsSoftmax) {
    result = result.kind === 'affine' && result.activation === 'linear' ? { ...result, activation: 'softmax' } : layerOutput(tf.layers.activation({ activation: 'softmax', name: 'probabilities' }), materialize(result, output.node));
  }
  const outputTensor = materialize(result, output.node);
  const model = tf.model({ inputs: input, outputs: outputTensor, name: graph.name });
  for (const { layer, weights: w } of pending) layer.setWeights(w.map((x) => tf.tensor(x.values, [...x.shape], 'float32')));
  return { model, input: imagesPlaceholder! };
}

/** The names `target` reads through its inputs, transitively (attribute references such as a keep probability do not count), and itself. */
export function pathTo(target: string, byName: ReadonlyMap<string, IrNode>): Set<string> {
  const path = new Set([target]);
  const stack = [target];
  while (stack.length > 0) {
    for (const input of byName.get(stack.pop()!)?.inputs ?? []) {
      if (!path.has(input)) {
        path.add(input);
        stack.push(input);
      }
    }
  }
  return path;
}

/** The type of a node's first input (a node or a placeholder). */
function firstInputType(node: IrNode, byName: ReadonlyMap<string, IrNode>, graph: IrGraph): TensorType | undefined {
  const name = node.inputs[0]!;
  return byName.get(name)?.type ?? graph.placeholders.find((p) => p.name === name)?.type;
}

function bidirectionalStack(
  node: IrNode,
  x: tf.SymbolicTensor,
  attrs: Record<string, unknown>,
  evalFeeds: IrGraph['train']['feeds']['eval'],
  weight: (node: IrNode, name: string) => Weight,
  pending: { layer: tf.layers.Layer; weights: Weight[] }[],
): tf.SymbolicTensor {
  const keep = (attrs['dropout'] as { output_keep_prob?: unknown } | undefined)?.output_keep_prob;
  const keepAtEval = typeof keep === 'string' ? evalFeeds[keep] : keep;
  if (keepAtEval !== undefined && keepAtEval !== 1) {
    fail('GC758', { node: node.name, op: node.op.name, reason: 'dropout_at_eval', keepAtEval: String(keepAtEval) });
  }
  const cell = attrs['cell'] as { type: string; units: number; reset_after?: boolean };
  if (cell.reset_after === true) fail('GC758', { node: node.name, op: node.op.name, reason: 'reset_after' });
  if (cell.type.endsWith('lstm') || attrs['return_state'] === true || attrs['return_sequences'] === false || node.inputs.length > 1) fail('GC758', { node: node.name, op: node.op.name, reason: 'rnn_form' });
  const units = cell.units;
  const layers = attrs['layers'] as number;
  let h = x;
  for (let i = 0; i < layers; i++) {
    const direction = (d: 'fw' | 'bw'): Weight[] => {
      const prefix = `${node.name}/layer_${i}/${d}`;
      return kerasGruWeights(weight(node, `${prefix}/gates/kernel`), weight(node, `${prefix}/gates/bias`), weight(node, `${prefix}/candidate/kernel`), weight(node, `${prefix}/candidate/bias`), units);
    };
    const gru = tf.layers.gru({ units, returnSequences: true, activation: 'tanh', recurrentActivation: 'sigmoid', name: `${node.name}_layer_${i}_gru` });
    const layer = tf.layers.bidirectional({ layer: gru, mergeMode: 'concat', name: `${node.name}_layer_${i}` });
    pending.push({ layer, weights: [...direction('fw'), ...direction('bw')] });
    h = layer.apply(h) as tf.SymbolicTensor;
  }
  return h;
}

/**
 * dynamic_rnn → one Keras GRU or LSTM per layer, built when a reader says
 * whether the last layer returns every step or only the last one.
 */
function recurrentStack(
  node: IrNode,
  x: tf.SymbolicTensor,
  attrs: Record<string, unknown>,
  evalFeeds: IrGraph['train']['feeds']['eval'],
  weight: (node: IrNode, name: string) => Weight,
  pending: { layer: tf.layers.Layer; weights: Weight[] }[],
  refuse: (node: IrNode, reason: Refusal) => never,
): Value {
  const keep = (attrs['dropout'] as { output_keep_prob?: unknown } | undefined)?.output_keep_prob;
  const keepAtEval = typeof keep === 'string' ? evalFeeds[keep] : keep;
  if (keepAtEval !== undefined && keepAtEval !== 1) fail('GC758', { node: node.name, op: node.op.name, reason: 'dropout_at_eval', keepAtEval: String(keepAtEval) });
  const cell = attrs['cell'] as { type: string; units: number; reset_after?: boolean };
  if (cell.reset_after === true) refuse(node, 'reset_after');
  if (attrs['return_state'] === true || node.inputs.length > 1) refuse(node, 'rnn_form');
  const lstm = cell.type.endsWith('lstm');
  const units = cell.units;
  const layers = attrs['layers'] as number;
  let built: { readonly tensor: tf.SymbolicTensor; readonly returnLast: boolean } | undefined;
  const build = (returnLast: boolean): tf.SymbolicTensor => {
    // One stack of layers serves one form: read both as every step and as the last step, it has no single export.
    if (built) return built.returnLast === returnLast ? built.tensor : refuse(node, 'take_form');
    let h = x;
    for (let i = 0; i < layers; i++) {
      const prefix = `${node.name}/cell_${i}`;
      const returnSequences = i < layers - 1 || (!returnLast && attrs['return_sequences'] !== false);
      const name = `${node.name}_layer_${i}`;
      const common = { units, returnSequences, activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, name };
      const layer = lstm ? tf.layers.lstm(common) : tf.layers.gru(common);
      const w = lstm
        ? kerasLstmWeights(weight(node, `${prefix}/kernel`), weight(node, `${prefix}/bias`), units)
        : kerasGruWeights(weight(node, `${prefix}/gates/kernel`), weight(node, `${prefix}/gates/bias`), weight(node, `${prefix}/candidate/kernel`), weight(node, `${prefix}/candidate/bias`), units);
      pending.push({ layer, weights: w });
      h = layer.apply(h) as tf.SymbolicTensor;
    }
    built = { tensor: h, returnLast };
    return h;
  };
  if (attrs['return_sequences'] === false) return { kind: 'tensor', tensor: build(true) };
  return { kind: 'sequence', build: (returnSequences) => build(!returnSequences), steps: x.shape[1]! };
}

/**
 * TF1 LSTM cell weights → Keras LSTM's [kernel, recurrent_kernel, bias].
 * TF: kernel [I+H, 4H], columns i, j (candidate), f, o over rows [x; h]; forget bias 1.0 added in the computation.
 * Keras: columns i, f, c, o; the forget bias lives in the bias.
 */
export function kerasLstmWeights(kernel: Weight, bias: Weight, units: number): [Weight, Weight, Weight] {
  const rows = kernel.shape[0]!;
  const inputSize = rows - units;
  const fromTf = [0, 2, 1, 3]; // Keras i, f, c, o ← TF i, f, j, o
  const k = new Float32Array(inputSize * 4 * units);
  const r = new Float32Array(units * 4 * units);
  for (let row = 0; row < rows; row++) {
    const target = row < inputSize ? k : r;
    const at = (row < inputSize ? row : row - inputSize) * 4 * units;
    for (let g = 0; g < 4; g++) target.set(kernel.values.subarray(row * 4 * units + fromTf[g]! * units, row * 4 * units + (fromTf[g]! + 1) * units), at + g * units);
  }
  const b = new Float32Array(4 * units);
  for (let g = 0; g < 4; g++) {
    for (let j = 0; j < units; j++) b[g * units + j] = bias.values[fromTf[g]! * units + j]! + (g === 1 ? FORGET_BIAS : 0);
  }
  return [
    { shape: [inputSize, 4 * units], values: k },
    { shape: [units, 4 * units], values: r },
    { shape: [4 * units], values: b },
  ];
}

/**
 * TF1 GRUCell weights → Keras GRU's [kernel, recurrent_kernel, bias].
 * TF: gates kernel [I+U, 2U] with columns [r | u] over rows [x; h], candidate kernel [I+U, U].
 * Keras: kernel [I, 3U] and recurrent kernel [U, 3U], columns [z | r | h] (z = TF's u), bias [3U].
 */
export function kerasGruWeights(gatesKernel: Weight, gatesBias: Weight, candidateKernel: Weight, candidateBias: Weight, units: number): [Weight, Weight, Weight] {
  const rows = gatesKernel.shape[0]!;
  const inputSize = rows - units;
  const kernel = new Float32Array(inputSize * 3 * units);
  const recurrent = new Float32Array(units * 3 * units);
  for (let row = 0; row < rows; row++) {
    const target = row < inputSize ? kernel : recurrent;
    const at = (row < inputSize ? row : row - inputSize) * 3 * units;
    const gates = row * 2 * units;
    target.set(gatesKernel.values.subarray(gates + units, gates + 2 * units), at); // z = u
    target.set(gatesKernel.values.subarray(gates, gates + units), at + units); // r
    target.set(candidateKernel.values.subarray(row * units, (row + 1) * units), at + 2 * units); // h
  }
  const bias = new Float32Array(3 * units);
  bias.set(gatesBias.values.subarray(units, 2 * units), 0);
  bias.set(gatesBias.values.subarray(0, units), units);
  bias.set(candidateBias.values, 2 * units);
  return [
    { shape: [inputSize, 3 * units], values: kernel },
    { shape: [units, 3 * units], values: recurrent },
    { shape: [3 * units], values: bias },
  ];
}

/** Writes model.json and weights.bin (the layout tf.loadLayersModel reads over HTTP). */
export async function saveLayersModel(model: tf.LayersModel, write: (file: string, data: string | Uint8Array) => void, metadata: Record<string, unknown>): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      write('weights.bin', new Uint8Array(data));
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: metadata['convertedBy'],
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: { graphc: metadata },
      };
      write('model.json', `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    }),
  );
}
