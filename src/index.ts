/**
 * 'graphc' as a library: compile or check a spec, read its diagnostics and
 * inferred graph, get the JSON Schema of specs. The modules it generates
 * import the training runtime as 'graphc/runtime'; the CLI is bin/graphc.js.
 */
export { checkSpec, compileSpec, compileSpecText, type CompileOptions, type CompileResult } from './compiler/index.js';
export type { IrGraph, IrNode, IrPlaceholder } from './compiler/2-ir/graph.js';
export type { DType, Dim, TensorType } from './compiler/types/tensor.js';
export { publishedSchema } from './compiler/1-spec/schema.js';
export { GraphcError, hasErrors, type Diagnostic, type SourceLocation } from './common/diagnostics/diagnostic.js';
export { formatDiagnostics, toJson, type JsonDiagnostic } from './common/diagnostics/format.js';
