/**
 * Every diagnostic graphc can raise, in one place: its code, its severity and
 * its English. Code that raises one passes the code and typed parameters;
 * nothing else in the project writes a diagnostic's message.
 * A problem with several forms (a bad feed, a corrupt IDX file, a checkpoint
 * that does not fit) is a typed union worded here; a string parameter holds
 * only text from outside graphc (a parser's, an OS's or a library's message)
 * and is named for its source (parserMessage, fsError, loaderMessage, ...).
 *
 * Ranges: GC1xx reading the file, GC2xx schema, GC3xx params and expressions,
 * GC4xx graph structure and training section, GC5xx dtypes and shapes,
 * GC6xx data files, GC7xx running (backends, modules, training faults).
 *
 * One file per range under catalogue/, merged here into the one object every
 * raise site and test reads.
 */
import { specFileDiagnostics } from './catalogue/spec-file.js';
import { schemaDiagnostics } from './catalogue/schema.js';
import { paramsDiagnostics } from './catalogue/params.js';
import { trainingDiagnostics } from './catalogue/training.js';
import { graphDiagnostics } from './catalogue/graph.js';
import { shapesDiagnostics } from './catalogue/shapes.js';
import { dataDiagnostics } from './catalogue/data.js';
import { runningDiagnostics } from './catalogue/running.js';
import { sweepsDiagnostics } from './catalogue/sweeps.js';
import { boardDiagnostics } from './catalogue/board.js';
import { interopDiagnostics } from './catalogue/interop.js';
import { bundleDiagnostics } from './catalogue/bundle.js';
import { gemmDiagnostics } from './catalogue/gemm.js';

export type { BoardRefusal } from './catalogue/board.js';
export type { DataArrayProblem, DataPlace, DataRoleProblem, DatasetFieldReason, DatasetOptionProblem, DatasetSpecProblem, DataShapeParam, DataValueProblem, IdxExpectation, IdxProblem, PredictInputProblem } from './catalogue/data.js';
export type { Severity, TensorTypeParam } from './catalogue/entry.js';
export type { LogFormatProblem } from './catalogue/graph.js';
export { describeLogFormatProblem } from './catalogue/graph.js';
export type { OnnxFileProblem, OnnxGraphProblem, OnnxNotExportableReason, UnsupportedOnnxNode } from './catalogue/interop.js';
export type { ExpressionProblem, ExpressionSyntaxProblem, ExpressionTypeProblem } from './catalogue/params.js';
export { describeExpressionProblem } from './catalogue/params.js';
export type { CheckpointFitProblem } from './catalogue/problems.js';
export { describeCheckpointFit } from './catalogue/problems.js';
export type { CheckpointFileProblem, DataSetStateProblem } from './catalogue/running.js';
export type { QueueUrlProblem, SweepArgumentProblem, SweepMismatchProblem, SweepSearchProblem } from './catalogue/sweeps.js';

export const catalogue = {
  ...specFileDiagnostics,
  ...schemaDiagnostics,
  ...paramsDiagnostics,
  ...trainingDiagnostics,
  ...graphDiagnostics,
  ...shapesDiagnostics,
  ...dataDiagnostics,
  ...runningDiagnostics,
  ...sweepsDiagnostics,
  ...boardDiagnostics,
  ...interopDiagnostics,
  ...bundleDiagnostics,
  ...gemmDiagnostics,
} as const;

export type Code = keyof typeof catalogue;
export type ParamsOf<C extends Code> = Parameters<(typeof catalogue)[C]['message']>[0];
