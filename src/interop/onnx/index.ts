/**
 * `graphc import model.onnx`: the file decoded (proto.ts), its graph mapped
 * onto graphc's ops (import.ts), written as a spec (spec.ts) that graphc's
 * own compiler then checks — it must compile, and every shape the ONNX file
 * states (value_info, outputs) must be the shape graphc infers — and the
 * weights as a checkpoint beside the spec for `graphc run --init`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../common/diagnostics/format.js';
import type { Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { describeFsError, writeFailure, writeFileAtomic } from '../../common/fs.js';
import { compileSpecText } from '../../compiler/index.js';
import { CHECKPOINT_VERSION, PayloadBuilder, writeCheckpointFile, type Checkpoint } from '../../runtime/checkpoint.js';
import { importOnnxGraph, type ImportedGraph } from './import.js';
import { decodeModel, type DecodeLimits, type OnnxModel } from './proto.js';
import { specText, type SpecText } from './spec.js';
import type { Dim } from './values.js';

export interface OnnxImportOptions {
  /** The spec to write; the checkpoint goes beside it as <name>.gck. */
  readonly out: string;
  /** Replace existing files. */
  readonly force?: boolean;
  readonly limits?: DecodeLimits;
}

export interface OnnxImport {
  readonly specPath: string;
  readonly checkpointPath: string;
  readonly spec: SpecText;
  readonly graph: ImportedGraph;
  /** Warnings the compiler raised on the written spec (a dataset whose files do not exist yet). */
  readonly warnings: readonly Diagnostic[];
}

/** Reads and decodes an ONNX file; unreadable or malformed is GC800. */
export function readOnnxFile(file: string, limits: DecodeLimits = {}): OnnxModel {
  let bytes: Buffer;
  try {
    const max = limits.maxBytes ?? 512 * 1024 * 1024;
    // Refuse before reading a file too large to be a model graphc would train.
    const { size } = statSync(file);
    if (size > max) fail('GC800', { file, problem: { kind: 'too_large', bytes: size, limit: max } }, { file });
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof Error && error.name === 'GraphcError') throw error;
    return fail('GC800', { file, problem: { kind: 'unreadable', fsError: describeFsError(error) } }, { file });
  }
  return decodeModel(bytes, file, limits);
}

/** The spec's name: the --out file's base name, which the module is named after. */
function specName(out: string): string {
  const name = basename(out, extname(out));
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) {
    const suggestion = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^[^A-Za-z]+/, '') || 'model';
    fail('GC753', { name, suggestion });
  }
  return name;
}

export function importOnnx(file: string, options: OnnxImportOptions): OnnxImport {
  const specPath = options.out;
  const checkpointPath = join(dirname(specPath), `${basename(specPath, extname(specPath))}.gck`);
  const name = specName(specPath);
  if (!options.force) for (const path of [specPath, checkpointPath]) if (existsSync(path)) fail('GC752', { path });
  const model = readOnnxFile(file, options.limits);
  const graph = importOnnxGraph(model, file);
  const spec = specText(graph, name, basename(file), { spec: specPath, checkpoint: checkpointPath });

  const result = compileSpecText(spec.text, specPath, { checkOnly: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.graph) {
    const sources = new Map([[specPath, spec.text]]);
    fail('GC804', { file, problem: { kind: 'spec_rejected', detail: errors.map((d) => formatDiagnostic(d, { sources })).join('\n') } }, { file });
  }
  checkShapes(file, model, graph, result.graph);

  try {
    writeFileAtomic(specPath, spec.text);
  } catch (error) {
    fail('GC706', writeFailure(specPath, spec.text.length, error));
  }
  writeCheckpointFile(checkpointPath, importedCheckpoint(name, specPath, file, graph));
  return { specPath, checkpointPath, spec, graph, warnings: result.diagnostics.filter((d) => d.severity === 'warning') };
}

/** Every shape the ONNX file states for a value graphc holds in ONNX's layout must be the one graphc infers (GC803). */
function checkShapes(file: string, model: OnnxModel, graph: ImportedGraph, ir: NonNullable<ReturnType<typeof compileSpecText>['graph']>): void {
  const types = new Map(ir.nodes.map((n) => [n.name, n.type.shape]));
  for (const info of [...model.graph.valueInfo, ...model.graph.output]) {
    const node = graph.onnxNodes.get(info.name);
    const dims = info.type?.shape;
    const inferred = node === undefined ? undefined : types.get(node);
    if (dims === undefined || inferred === undefined) continue;
    const onnx: Dim[] = dims.map((d) => (d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : null));
    const agree = onnx.length === inferred.length && onnx.every((d, i) => d === null || inferred[i] === null || d === inferred[i]);
    if (!agree) fail('GC803', { file, tensor: info.name, onnx, graphc: [...inferred] }, { file });
  }
}

/** The checkpoint graphc import writes (from ONNX or Keras): the weights, and placeholders for what only a run has (see CheckpointHeader.imported). */
export function importedCheckpoint(name: string, specPath: string, file: string, graph: ImportedGraph, format: 'onnx' | 'keras' = 'onnx'): Checkpoint {
  const payload = new PayloadBuilder();
  const variables = graph.variables.map((v) => payload.add(v.name, v.shape, v.values));
  const state = graph.state.map((v) => payload.add(v.name, v.shape, v.values));
  const fresh = { order: [], indexInEpoch: 0, epochsCompleted: 0 };
  return {
    header: {
      format: 'graphc-checkpoint',
      version: CHECKPOINT_VERSION,
      model: name,
      source: specPath,
      params: {},
      seed: 0,
      step: 0,
      schedule: { steps: 0, batchSize: 0, evalEvery: 0, evalBatches: 0, evalBatchSize: 0 },
      variables,
      ...(state.length > 0 ? { state } : {}),
      optimizer: { type: 'none', step: 0, variables: [], slots: [] },
      random: { dropout: { s: [0, 0, 0, 0] }, data: { s: [0, 0, 0, 0] } },
      data: { train: fresh, test: fresh },
      evaluations: [],
      imported: { format, from: basename(file) },
    },
    payload: payload.build(),
  };
}
