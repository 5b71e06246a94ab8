/** The diagnostics of the wasm GEMM's planner and its cache. */
import { entry } from './entry.js';

export const gemmDiagnostics = {
  // gemm-tune (GC880–GC889): the GEMM planner's cache and variant choice.
  GC880: entry<{ file: string; reason: string }>('warning', 'gemm_plan_ignored', (p) =>
    `${p.file}: ignored, ${p.reason}; the GEMM variants are timed again on this machine and the file rewritten (it is a cache: deleting it is safe)`),
  GC881: entry<{ file: string; reason: string }>('warning', 'gemm_plan_unsaved', (p) =>
    `could not write the GEMM plan ${p.file}: ${p.reason}; the variants chosen hold for this process only`),
  GC882: entry<{ name: string; variants: string }>('error', 'gemm_variant_unknown', (p) =>
    `GRAPHC_GEMM_VARIANT=${p.name} names no GEMM variant; give one of ${p.variants}, or unset it to let graphc time them`),
} as const;
