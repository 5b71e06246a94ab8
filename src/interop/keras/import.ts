/**
 * `graphc import model.json`: a tfjs-layers / Keras model (the model.json and
 * weight files `model.save('file://…')` writes) as graphc's nodes and
 * variables, in the form the ONNX import writes its spec from
 * (interop/onnx/spec.ts), so both imports end the same way: a spec and a
 * checkpoint beside it.
 *
 * Layers: InputLayer, Dense, Dropout (the identity at inference; the spec
 * fine-tunes without it), Flatten, Reshape, Conv2D, MaxPooling2D,
 * BatchNormalization, Embedding, global pools, GRU (reset_after true and
 * false), LSTM and Bidirectional(GRU | LSTM, merge concat); Sequential and
 * functional models with one input and one output. Keras's weights are
 * rearranged into graphc's TF1 layout (see src/runtime/rnn/gru_weights.ts
 * for the GRU, and kerasLstmWeights in tools/export/layers.ts for the
 * inverse of the LSTM's).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fail, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../common/diagnostics/format.js';
import { writeFailure, writeFileAtomic } from '../../common/fs.js';
import { compileSpecText } from '../../compiler/index.js';
import { writeCheckpointFile } from '../../runtime/checkpoint.js';
import { importedCheckpoint } from '../onnx/index.js';
import { specText, type SpecText } from '../onnx/spec.js';
import { FORGET_BIAS } from '../../runtime/kernels/lstm_sequence.js';
import type { ImportedGraph, NamedWeights, SpecNode } from '../onnx/import.js';
import type { Dim } from '../onnx/values.js';

/** The layer classes graphc imports, for GC823's list. */
export const KERAS_LAYERS = [
  'InputLayer', 'Dense', 'Dropout', 'Flatten', 'Reshape', 'Conv2D', 'MaxPooling2D', 'BatchNormalization', 'Embedding', 'GRU', 'LSTM', 'Bidirectional',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
] as const;

/** The largest model.json or weight file read. */
const MAX_BYTES = 512 * 1024 * 1024;

interface KerasLayer {
  readonly class_name: string;
  readonly name?: string;
  readonly config: Record<string, unknown>;
  readonly inbound_nodes?: unknown;
}

interface Tensor {
  readonly node: string;
  readonly shape: readonly Dim[];
}

/** Reads model.json and its weights; anything malformed is GC822 naming the file and what is wrong. */
function readModel(file: string): { layers: KerasLayer[]; functional: { inputs: string[]; outputs: string[] } | undefined; weights: Map<string, { shape: number[]; values: Float32Array }[]> } {
  const bad = (problem: string): never => fail('GC822', { file, problem }, { file });
  let json: Record<string, unknown>;
  try {
    if (statSync(file).size > MAX_BYTES) bad(`larger than ${MAX_BYTES} bytes`);
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof Error && error.name === 'GraphcError') throw error;
    return bad(error instanceof Error ? error.message : String(error));
  }
  const topology = (json['modelTopology'] ?? json) as Record<string, unknown>;
  const model = (topology['model_config'] ?? topology) as { class_name?: string; config?: unknown };
  const config = model.config as { layers?: unknown; input_layers?: unknown; output_layers?: unknown } | undefined;
  if (typeof model.class_name !== 'string' || !config || !Array.isArray(config.layers)) bad('no modelTopology with a model_config of layers (is it a tfjs-layers model.json?)');
  const layers = config!.layers as KerasLayer[];
  const functional =
    model.class_name === 'Sequential'
      ? undefined
      : {
          inputs: ((config!.input_layers ?? []) as unknown[][]).map((e) => String(e[0])),
          outputs: ((config!.output_layers ?? []) as unknown[][]).map((e) => String(e[0])),
        };
  const weights = new Map<string, { shape: number[]; values: Float32Array }[]>();
  const manifest = (json['weightsManifest'] ?? []) as { paths: string[]; weights: { name: string; shape: number[]; dtype?: string }[] }[];
  if (!Array.isArray(manifest)) bad('weightsManifest is not a list');
  for (const group of manifest) {
    const chunks: Buffer[] = [];
    for (const path of group.paths ?? []) {
      const full = join(dirname(file), path);
      try {
        chunks.push(readFileSync(full));
      } catch (error) {
        bad(`cannot read its weight file ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const data = Buffer.concat(chunks);
    let offset = 0;
    for (const spec of group.weights ?? []) {
      if ((spec.dtype ?? 'float32') !== 'float32') bad(`weight ${spec.name} is ${spec.dtype}; graphc imports float32 weights`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (!Number.isInteger(count) || count < 0 || offset + 4 * count > data.length) bad(`its weight files hold ${data.length} bytes, fewer than the manifest's weights need (${spec.name})`);
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = data.readFloatLE(offset + 4 * i);
      offset += 4 * count;
      // Keras names a weight <layer>/<weight> (a Bidirectional's <layer>/forward_<inner>/<weight>).
      const layer = spec.name.split('/')[0]!;
      weights.set(layer, [...(weights.get(layer) ?? []), { shape: spec.shape, values }]);
    }
  }
  return { layers, functional, weights };
}

/** A graphc node name from a Keras layer name (letters, digits and underscores, not starting with a digit). */
function nodeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]+/g, '_');
  return /^[A-Za-z]/.test(clean) ? clean : `l_${clean}`;
}

export function importKerasGraph(file: string): ImportedGraph {
  const { layers, functional, weights } = readModel(file);
  const nodes: SpecNode[] = [];
  const variables: NamedWeights[] = [];
  const state: NamedWeights[] = [];
  const placeholders: ImportedGraph['placeholders'][number][] = [];
  const values = new Map<string, Tensor>();
  const refused: { layer: string; className: string; reason: string }[] = [];
  let last: Tensor | undefined;
  let lastLogits: string | undefined;

  const weightsOf = (layer: string, count: number): { shape: number[]; values: Float32Array }[] => {
    const w = weights.get(layer) ?? [];
    if (w.length < count) fail('GC822', { file, problem: `layer '${layer}' has ${w.length} weights, not the ${count} it needs` }, { file });
    return w;
  };

  const inputOf = (layer: KerasLayer, index: number): Tensor | undefined => {
    if (!functional) return index === 0 ? last : undefined;
    const inbound = layer.inbound_nodes as unknown[][][] | undefined;
    const source = inbound?.[0]?.[index] as unknown[] | undefined;
    return source === undefined ? undefined : values.get(String(source[0]));
  };

  for (const layer of layers) {
    const name = String(layer.config['name'] ?? layer.name);
    const node = nodeName(name);
    const c = layer.config;
    const activation = (c['activation'] as string | undefined) ?? 'linear';
    const x = inputOf(layer, 0);
    const refuse = (reason: string): void => {
      refused.push({ layer: name, className: layer.class_name, reason });
    };
    const batchShape = (c['batch_input_shape'] ?? c['batchInputShape']) as (number | null)[] | undefined;
    if (layer.class_name === 'InputLayer' || (!functional && last === undefined && batchShape)) {
      const shape = batchShape!.map((d, i) => (i === 0 ? null : d));
      const input = { name: nodeName(layer.class_name === 'InputLayer' ? name : 'input'), onnxName: name, shape, dtype: (c['dtype'] === 'int32' ? 'int32' : 'float32') as 'float32' | 'int32' };
      placeholders.push(input);
      last = { node: input.name, shape };
      values.set(name, last);
      if (layer.class_name === 'InputLayer') continue;
    }
    const xIn = layer.class_name === 'InputLayer' ? undefined : (inputOf(layer, 0) ?? x ?? last);
    if (!xIn) {
      refuse('reads no input graphc knows');
      continue;
    }
    let out: Tensor | undefined;
    switch (layer.class_name) {
      case 'Dense': {
        const [kernel, bias] = weightsOf(name, c['use_bias'] === false ? 1 : 2);
        const units = kernel!.shape[1]!;
        if (!['linear', 'relu', 'sigmoid', 'tanh', 'softmax'].includes(activation)) {
          refuse(`activation '${activation}' (graphc's dense has linear, relu, sigmoid, tanh, softmax)`);
          break;
        }
        const softmax = activation === 'softmax';
        const dense = softmax ? `${node}_logits` : node;
        nodes.push({ name: dense, body: { op: 'dense', inputs: [xIn.node], units, ...(softmax || activation === 'linear' ? {} : { activation }), ...(bias ? {} : { use_bias: false }) } });
        variables.push({ name: `${dense}/kernel`, shape: kernel!.shape, values: kernel!.values });
        if (bias) variables.push({ name: `${dense}/bias`, shape: bias.shape, values: bias.values });
        if (softmax) nodes.push({ name: node, body: { op: 'softmax', inputs: [dense] } });
        lastLogits = softmax ? dense : undefined;
        out = { node, shape: [...xIn.shape.slice(0, -1), units] };
        break;
      }
      case 'Dropout':
        // The identity at inference; fine-tuning trains without it unless the spec adds a dropout.
        out = xIn;
        break;
      case 'Flatten':
      case 'Reshape': {
        const target = layer.class_name === 'Flatten' ? [(xIn.shape.slice(1) as number[]).reduce((a, b) => a * b, 1)] : (c['target_shape'] ?? c['targetShape']) as number[];
        nodes.push({ name: node, body: { op: 'reshape', inputs: [xIn.node], shape: [-1, ...target] } });
        out = { node, shape: [null, ...target] };
        break;
      }
      case 'Conv2D': {
        const [kernel, bias] = weightsOf(name, c['use_bias'] === false ? 1 : 2);
        const strides = (c['strides'] as number[] | undefined) ?? [1, 1];
        const padding = String(c['padding'] ?? 'valid').toUpperCase();
        const dilation = (c['dilation_rate'] as number[] | undefined) ?? [1, 1];
        if ((c['data_format'] ?? 'channels_last') !== 'channels_last' || dilation.some((d) => d !== 1) || !['SAME', 'VALID'].includes(padding)) {
          refuse('only channels_last, undilated, same or valid padding');
          break;
        }
        if (!['linear', 'relu', 'sigmoid', 'tanh'].includes(activation)) {
          refuse(`activation '${activation}'`);
          break;
        }
        const filters = kernel!.shape[3]!;
        nodes.push({ name: `${node}_filter`, body: { op: 'variable', shape: kernel!.shape } });
        variables.push({ name: `${node}_filter`, shape: kernel!.shape, values: kernel!.values });
        const conv = bias || activation !== 'linear' ? `${node}_conv` : node;
        nodes.push({ name: conv, body: { op: 'conv2d', inputs: [xIn.node, `${node}_filter`], strides: [1, ...strides, 1], padding } });
        let top = conv;
        if (bias) {
          nodes.push({ name: `${node}_bias`, body: { op: 'variable', shape: bias.shape } });
          variables.push({ name: `${node}_bias`, shape: bias.shape, values: bias.values });
          top = activation === 'linear' ? node : `${node}_biased`;
          nodes.push({ name: top, body: { op: 'add', inputs: [conv, `${node}_bias`] } });
        }
        if (activation !== 'linear') nodes.push({ name: node, body: { op: activation, inputs: [top] } });
        const [h, w] = xIn.shape.slice(1, 3) as number[];
        const size = (n: number, k: number, s: number): number => (padding === 'SAME' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
        out = { node, shape: [null, size(h!, kernel!.shape[0]!, strides[0]!), size(w!, kernel!.shape[1]!, strides[1]!), filters] };
        break;
      }
      case 'MaxPooling2D': {
        const pool = (c['pool_size'] as number[] | undefined) ?? [2, 2];
        const strides = (c['strides'] as number[] | null | undefined) ?? pool;
        const padding = String(c['padding'] ?? 'valid').toUpperCase();
        nodes.push({ name: node, body: { op: 'max_pool', inputs: [xIn.node], ksize: [1, ...pool, 1], strides: [1, ...strides, 1], padding } });
        const [h, w, ch] = xIn.shape.slice(1) as number[];
        const size = (n: number, k: number, s: number): number => (padding === 'SAME' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
        out = { node, shape: [null, size(h!, pool[0]!, strides[0]!), size(w!, pool[1]!, strides[1]!), ch!] };
        break;
      }
      case 'BatchNormalization': {
        const center = c['center'] !== false;
        const scale = c['scale'] !== false;
        const w = weightsOf(name, 2 + (center ? 1 : 0) + (scale ? 1 : 0));
        const axis = Array.isArray(c['axis']) ? (c['axis'] as number[])[0]! : ((c['axis'] as number | undefined) ?? -1);
        nodes.push({ name: node, body: { op: 'batch_norm', inputs: [xIn.node], axis: axis === xIn.shape.length - 1 ? -1 : axis, momentum: c['momentum'] ?? 0.99, epsilon: c['epsilon'] ?? 1e-3, ...(center ? {} : { center: false }), ...(scale ? {} : { scale: false }) } });
        let k = 0;
        if (scale) variables.push({ name: `${node}/gamma`, ...w[k++]! });
        if (center) variables.push({ name: `${node}/beta`, ...w[k++]! });
        state.push({ name: `${node}/moving_mean`, ...w[k++]! }, { name: `${node}/moving_variance`, ...w[k++]! });
        out = { node, shape: xIn.shape };
        break;
      }
      case 'GlobalAveragePooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling1D':
      case 'GlobalMaxPooling2D':
        nodes.push({ name: node, body: { op: layer.class_name.startsWith('GlobalAverage') ? 'global_average_pool' : 'global_max_pool', inputs: [xIn.node] } });
        out = { node, shape: [null, xIn.shape.at(-1)!] };
        break;
      case 'Embedding': {
        const [table] = weightsOf(name, 1);
        nodes.push({ name: node, body: { op: 'embedding', inputs: [xIn.node], vocab_size: table!.shape[0], units: table!.shape[1] } });
        variables.push({ name: `${node}/embeddings`, ...table! });
        out = { node, shape: [...xIn.shape, table!.shape[1]!] };
        break;
      }
      case 'GRU':
      case 'LSTM':
      case 'Bidirectional': {
        const inner = layer.class_name === 'Bidirectional' ? ((c['layer'] as KerasLayer | undefined) ?? undefined) : layer;
        if (!inner || !['GRU', 'LSTM'].includes(inner.class_name)) {
          refuse('a Bidirectional wrapper of a layer other than GRU or LSTM');
          break;
        }
        if (layer.class_name === 'Bidirectional' && (c['merge_mode'] ?? 'concat') !== 'concat') {
          refuse(`merge_mode '${String(c['merge_mode'])}' (graphc concatenates the directions)`);
          break;
        }
        const ic = inner.config;
        const lstm = inner.class_name === 'LSTM';
        const resetAfter = !lstm && ic['reset_after'] === true;
        if ((ic['activation'] ?? 'tanh') !== 'tanh' || (ic['recurrent_activation'] ?? 'sigmoid') !== 'sigmoid') {
          refuse(`activation '${String(ic['activation'] ?? 'tanh')}' and recurrent_activation '${String(ic['recurrent_activation'] ?? 'sigmoid')}' (graphc's cells compute tanh and sigmoid)`);
          break;
        }
        if (ic['go_backwards'] === true || ic['stateful'] === true || ic['return_state'] === true || ic['use_bias'] === false) {
          refuse('go_backwards, stateful, return_state or no bias');
          break;
        }
        const units = ic['units'] as number;
        const directions = layer.class_name === 'Bidirectional' ? 2 : 1;
        const w = weightsOf(name, 3 * directions);
        const prefixes = directions === 1 ? [`${node}/cell_0`] : [`${node}/layer_0/fw`, `${node}/layer_0/bw`];
        prefixes.forEach((prefix, d) => {
          const [kernel, recurrent, bias] = w.slice(3 * d, 3 * d + 3);
          const converted = lstm ? graphcLstmWeights(kernel!, recurrent!, bias!, units) : graphcGruWeights(kernel!, recurrent!, bias!, units, resetAfter);
          for (const [suffix, weight] of converted) variables.push({ name: `${prefix}/${suffix}`, ...weight });
        });
        const returnSequences = ic['return_sequences'] === true;
        nodes.push({
          name: node,
          body: {
            op: directions === 1 ? 'dynamic_rnn' : 'stack_bidirectional_rnn',
            inputs: [xIn.node],
            layers: 1,
            cell: { type: lstm ? 'lstm' : 'gru', units, ...(resetAfter ? { reset_after: true } : {}) },
            ...(returnSequences ? {} : { return_sequences: false }),
          },
        });
        const width = directions * units;
        out = { node, shape: returnSequences ? [null, xIn.shape[1]!, width] : [null, width] };
        break;
      }
      default:
        refuse('graphc has no counterpart for this layer');
    }
    if (out) {
      values.set(name, out);
      last = out;
      if (layer.class_name !== 'Dense' && layer.class_name !== 'Dropout') lastLogits = undefined;
    }
  }
  if (refused.length > 0) fail('GC823', { file, layers: refused, supported: [...KERAS_LAYERS] }, { file });
  const output = functional ? values.get(functional.outputs[0] ?? '') : last;
  if (!output || placeholders.length !== 1 || (functional && functional.outputs.length !== 1)) {
    fail('GC822', { file, problem: 'graphc imports models with one input and one output' }, { file });
  }
  return {
    placeholders,
    nodes,
    outputs: [{ onnxName: output!.node, node: output!.node, shape: output!.shape, ...(lastLogits ? { logits: lastLogits } : {}) }],
    params: {},
    variables,
    state,
    onnxNodes: new Map(),
    opset: 0,
  };
}

type Pair = readonly [string, { readonly shape: number[]; readonly values: Float32Array }];

/**
 * Keras GRU → graphc's TF1 GRU variables (the mapping of runtime/rnn/gru_weights.ts).
 * Keras: kernel [I, 3H] and recurrent_kernel [H, 3H], columns z, r, h; bias [3H] or, reset_after, [2, 3H] (input row, recurrent row).
 */
export function graphcGruWeights(kernel: { shape: number[]; values: Float32Array }, recurrent: { shape: number[]; values: Float32Array }, bias: { shape: number[]; values: Float32Array }, units: number, resetAfter: boolean): Pair[] {
  const H = units;
  const I = kernel.shape[0]!;
  const gates = new Float32Array((I + H) * 2 * H);
  const candidate = new Float32Array((I + H) * H);
  for (let row = 0; row < I + H; row++) {
    const [src, r] = row < I ? [kernel.values, row] : [recurrent.values, row - I];
    const at = r * 3 * H;
    gates.set(src.subarray(at + H, at + 2 * H), row * 2 * H); // r
    gates.set(src.subarray(at, at + H), row * 2 * H + H); // u = z
    candidate.set(src.subarray(at + 2 * H, at + 3 * H), row * H);
  }
  const input = bias.values.subarray(0, 3 * H);
  const rec = resetAfter ? bias.values.subarray(3 * H, 6 * H) : new Float32Array(3 * H);
  const gatesBias = new Float32Array(2 * H);
  for (let j = 0; j < H; j++) {
    gatesBias[j] = input[H + j]! + rec[H + j]!;
    gatesBias[H + j] = input[j]! + rec[j]!;
  }
  const pairs: Pair[] = [
    ['gates/kernel', { shape: [I + H, 2 * H], values: gates }],
    ['gates/bias', { shape: [2 * H], values: gatesBias }],
    ['candidate/kernel', { shape: [I + H, H], values: candidate }],
    ['candidate/bias', { shape: [H], values: Float32Array.from(input.subarray(2 * H, 3 * H)) }],
  ];
  return resetAfter ? [...pairs, ['candidate/recurrent_bias', { shape: [H], values: Float32Array.from(rec.subarray(2 * H, 3 * H)) }]] : pairs;
}

/** Keras LSTM (columns i, f, c, o; the forget bias in the bias) → graphc's TF1 LSTM kernel [I+H, 4H] (columns i, j, f, o) and bias (forget bias 1.0 taken out: graphc adds it). */
export function graphcLstmWeights(kernel: { shape: number[]; values: Float32Array }, recurrent: { shape: number[]; values: Float32Array }, bias: { shape: number[]; values: Float32Array }, units: number): Pair[] {
  const H = units;
  const I = kernel.shape[0]!;
  const fromKeras = [0, 2, 1, 3]; // graphc i, j, f, o ← Keras i, c, f, o
  const k = new Float32Array((I + H) * 4 * H);
  for (let row = 0; row < I + H; row++) {
    const [src, r] = row < I ? [kernel.values, row] : [recurrent.values, row - I];
    for (let g = 0; g < 4; g++) k.set(src.subarray(r * 4 * H + fromKeras[g]! * H, r * 4 * H + (fromKeras[g]! + 1) * H), row * 4 * H + g * H);
  }
  const b = new Float32Array(4 * H);
  for (let g = 0; g < 4; g++) for (let j = 0; j < H; j++) b[g * H + j] = bias.values[fromKeras[g]! * H + j]! - (g === 2 ? FORGET_BIAS : 0);
  return [
    ['kernel', { shape: [I + H, 4 * H], values: k }],
    ['bias', { shape: [4 * H], values: b }],
  ];
}

export interface KerasImport {
  readonly specPath: string;
  readonly checkpointPath: string;
  readonly spec: SpecText;
  readonly graph: ImportedGraph;
  readonly warnings: readonly Diagnostic[];
}

/** Writes the spec and its checkpoint for a Keras model.json, as importOnnx does for an ONNX file. */
export function importKeras(file: string, options: { readonly out: string; readonly force?: boolean }): KerasImport {
  const specPath = options.out;
  const checkpointPath = join(dirname(specPath), `${basename(specPath, extname(specPath))}.gck`);
  const name = basename(specPath, extname(specPath));
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) fail('GC753', { name, suggestion: name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^[^A-Za-z]+/, '') || 'model' });
  if (!options.force) for (const path of [specPath, checkpointPath]) if (existsSync(path)) fail('GC752', { path });
  const graph = importKerasGraph(file);
  const onnxSpec = specText(graph, name, basename(file), { spec: specPath, checkpoint: checkpointPath });
  // specText words its header for ONNX; say where this one came from.
  const spec = { ...onnxSpec, text: onnxSpec.text.replace("the nodes are the ONNX graph's", "the nodes are the Keras model's layers").replace(/ \(ONNX opset \d+\)/, ' (a tfjs-layers / Keras model)') };
  const result = compileSpecText(spec.text, specPath, { checkOnly: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.graph) {
    fail('GC822', { file, problem: `the spec graphc wrote from it does not compile (please report it):\n${errors.map((d) => formatDiagnostic(d, { sources: new Map([[specPath, spec.text]]) })).join('\n')}` }, { file });
  }
  try {
    writeFileAtomic(specPath, spec.text);
  } catch (error) {
    fail('GC706', writeFailure(specPath, spec.text.length, error));
  }
  const checkpoint = importedCheckpoint(name, specPath, file, graph, 'keras');
  writeCheckpointFile(checkpointPath, checkpoint);
  return { specPath, checkpointPath, spec, graph, warnings: result.diagnostics.filter((d) => d.severity === 'warning') };
}
