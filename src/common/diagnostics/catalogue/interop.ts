/** The diagnostics of importing and exporting other frameworks' models (ONNX, Keras / tfjs-layers). */
import { entry, plural, shape } from './entry.js';
import { type CheckpointFitProblem, describeCheckpointFit } from './problems.js';
import { bytes } from '../../bytes.js';

export type OnnxNotExportableReason =
  | 'missing_weight'
  | 'no_feature_feed'
  | 'no_batch_dimension'
  | 'placeholder_not_constant'
  | 'dropout_at_eval'
  | 'batch_norm_training_at_eval'
  | 'layer_norm_axis'
  | 'attention_mask'
  | 'sequence_lengths'
  | 'lstm_state';

type OnnxNotExportableParams = { readonly node: string; readonly op: string; readonly reason: OnnxNotExportableReason; readonly detail?: string };

function describeOnnxNotExportable(p: OnnxNotExportableParams): string {
  switch (p.reason) {
    case 'missing_weight':
      return `has no weight '${p.detail}' in the checkpoint`;
    case 'no_feature_feed':
      return "depends on no placeholder fed 'batch.images' or 'batch.features' in the eval phase, which the model's input would stand for";
    case 'no_batch_dimension':
      return "is the model's input but has no batch dimension (its shape must start with null)";
    case 'placeholder_not_constant':
      return 'is read by the exported path but is neither the data\'s features nor a float32 scalar fed a number in the eval phase';
    case 'dropout_at_eval':
      return `keeps values with probability ${p.detail} at evaluation; an exported model applies no dropout (feed 1.0 in the eval phase)`;
    case 'batch_norm_training_at_eval':
      return `normalises with the batch statistics at evaluation ('${p.detail}' is not fed false in the eval phase); an exported model uses the moving statistics`;
    case 'layer_norm_axis':
      return `normalises over axis ${p.detail}; ONNX's LayerNormalization normalises over every axis from its axis on, which is the same only for the last axis (-1)`;
    case 'attention_mask':
      return 'has a mask; the ONNX export writes attention without one';
    case 'sequence_lengths':
      return 'reads sequence lengths; the ONNX export writes recurrent layers over whole sequences only';
    case 'lstm_state':
      return "returns an LSTM's state (c and h); the ONNX export writes an LSTM's outputs or last output (return_sequences false)";
  }
}

/** What makes bytes an unusable ONNX file (GC800). */
export type OnnxFileProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'unreadable'; readonly fsError: string }
  | { readonly kind: 'too_large'; readonly bytes: number; readonly limit: number }
  /** parserMessage: protobufjs's own words. */
  | { readonly kind: 'protobuf'; readonly parserMessage: string }
  | { readonly kind: 'no_graph' }
  | { readonly kind: 'too_many_nodes'; readonly nodes: number; readonly limit: number }
  | { readonly kind: 'nesting'; readonly limit: number }
  | { readonly kind: 'external_data'; readonly tensor: string }
  | { readonly kind: 'tensor'; readonly tensor: string; readonly reason: 'negative_dim' | 'data_length' }
  | { readonly kind: 'tensor_too_large'; readonly tensor: string; readonly elements: number; readonly limit: number };

function describeOnnxFile(p: OnnxFileProblem): string {
  switch (p.kind) {
    case 'empty':
      return 'the file is empty';
    case 'unreadable':
      return `cannot read it: ${p.fsError}`;
    case 'too_large':
      return `${bytes(p.bytes)} is more than the ${bytes(p.limit)} graphc reads`;
    case 'protobuf':
      return `not a protobuf ModelProto (truncated or not ONNX): ${p.parserMessage}`;
    case 'no_graph':
      return 'the ModelProto holds no graph';
    case 'too_many_nodes':
      return `${p.nodes} nodes is more than the ${p.limit} graphc reads`;
    case 'nesting':
      return `subgraphs nest deeper than ${p.limit} levels`;
    case 'external_data':
      return `tensor '${p.tensor}' keeps its data in an external file; save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))`;
    case 'tensor':
      return `tensor '${p.tensor}' ${p.reason === 'negative_dim' ? 'has a negative dimension' : 'holds more or fewer bytes than its dims and data type need'}`;
    case 'tensor_too_large':
      return `tensor '${p.tensor}' has ${p.elements} elements, more than the ${p.limit} graphc reads`;
  }
}

/** A node graphc cannot import, as GC802 lists it. */
export interface UnsupportedOnnxNode {
  readonly node: string;
  readonly opType: string;
  readonly opset: number;
  /** What about it graphc cannot express (an op type, an attribute's value, an input that is not constant). */
  readonly reason: string;
  /** What graphc supports instead. */
  readonly supported: string;
}

/** A graph that decodes but cannot become a spec (GC804). */
export type OnnxGraphProblem =
  | { readonly kind: 'no_inputs' }
  | { readonly kind: 'no_outputs' }
  | { readonly kind: 'input_type'; readonly input: string; readonly elemType: number }
  | { readonly kind: 'input_rank'; readonly input: string }
  | { readonly kind: 'input_dynamic'; readonly input: string; readonly dim: number }
  | { readonly kind: 'undefined_value'; readonly node: string; readonly value: string }
  | { readonly kind: 'spec_rejected'; readonly detail: string };

function describeOnnxGraph(p: OnnxGraphProblem): string {
  switch (p.kind) {
    case 'no_inputs':
      return 'the graph has no input that is not an initializer';
    case 'no_outputs':
      return 'the graph has no outputs';
    case 'input_type':
      return `input '${p.input}' has ONNX element type ${p.elemType}; graphc imports float32, int32 and int64 inputs`;
    case 'input_rank':
      return `input '${p.input}' has no shape in the model; export it with its shape (torch.onnx.export with a sample input)`;
    case 'input_dynamic':
      return `input '${p.input}' has a run-time size in dimension ${p.dim}; graphc's shapes are static past the batch: export with dynamic_axes naming only the batch`;
    case 'undefined_value':
      return `node '${p.node}' reads '${p.value}', which no node, input or initializer defines`;
    case 'spec_rejected':
      return `the spec written from it does not compile (an import bug, please report it): ${p.detail}`;
  }
}

export const interopDiagnostics = {
  // GC80x: importing ONNX models (graphc import)
  GC800: entry<{ file: string; problem: OnnxFileProblem }>('error', 'onnx_unreadable', (p) => `${p.file}: not a usable ONNX model: ${describeOnnxFile(p.problem)}`),
  GC801: entry<{ file: string; domain: string; version: number; min: number }>('error', 'onnx_opset_unsupported', (p) =>
    `${p.file}: opset ${p.version} of ${p.domain === '' ? 'ai.onnx' : `'${p.domain}'`} is not supported; graphc imports ai.onnx opset ${p.min} and newer (re-export with torch.onnx.export(..., opset_version=${p.min}) or newer)`),
  GC802: entry<{ file: string; nodes: readonly UnsupportedOnnxNode[] }>('error', 'onnx_unsupported_nodes', (p) =>
    `${p.file}: graphc cannot express ${plural(p.nodes.length, 'node')} of this model:${p.nodes.map((n) => `\n  - '${n.node}' (${n.opType}, opset ${n.opset}): ${n.reason}; ${n.supported}`).join('')}`),
  GC803: entry<{ file: string; tensor: string; onnx: readonly (number | null)[]; graphc: readonly (number | null)[] }>('error', 'onnx_shape_disagrees', (p) =>
    `${p.file}: '${p.tensor}' is ${shape(p.onnx)} in the model's value_info but graphc infers ${shape(p.graphc)}; the import would compute something else, please report it`),
  GC804: entry<{ file: string; problem: OnnxGraphProblem }>('error', 'onnx_graph_unusable', (p) => `${p.file}: ${describeOnnxGraph(p.problem)}`),
  GC805: entry<{ file: string; spec: string; problem: CheckpointFitProblem }>('error', 'init_mismatch', (p) =>
    `--init ${p.file} does not fit ${p.spec}: ${describeCheckpointFit(p.problem)}; give the checkpoint graphc import wrote beside this spec, or a run's checkpoint.gck of the same spec`),
  // GC82x: export to ONNX (graphc export --format onnx)
  GC820: entry<{ node: string; op: string; output: string; supported: readonly string[] }>('error', 'onnx_unsupported_op', (p) =>
    `cannot export to ONNX: node '${p.node}' (${p.op}) lies on the path to '${p.output}' and has no ONNX counterpart that graphc exports; the ONNX export supports ${p.supported.join(', ')}`),
  GC822: entry<{ file: string; problem: string }>('error', 'keras_unreadable', (p) => `${p.file}: not a usable tfjs-layers / Keras model: ${p.problem}`),
  GC823: entry<{ file: string; layers: readonly { layer: string; className: string; reason: string }[]; supported: readonly string[] }>('error', 'keras_unsupported_layers', (p) =>
    `${p.file}: graphc cannot express ${p.layers.length === 1 ? '1 layer' : `${p.layers.length} layers`} of this model:${p.layers.map((l) => `\n  - '${l.layer}' (${l.className}): ${l.reason}`).join('')}\ngraphc imports ${p.supported.join(', ')}`),
  GC821: entry<OnnxNotExportableParams>('error', 'onnx_not_exportable', (p) => `cannot export to ONNX: ${p.op === 'placeholder' ? 'placeholder' : 'node'} '${p.node}'${p.op === 'placeholder' ? '' : ` (${p.op})`} ${describeOnnxNotExportable(p)}`),
} as const;
