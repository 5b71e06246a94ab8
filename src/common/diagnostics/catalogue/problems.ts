/** Problem types that diagnostics of several ranges word. */
import { shape } from './entry.js';

export type CheckpointFitProblem =
  | { readonly kind: 'missing_in_checkpoint'; readonly variable: string }
  | { readonly kind: 'missing_in_model'; readonly variable: string }
  | { readonly kind: 'variable_shape'; readonly variable: string; readonly checkpoint: readonly number[]; readonly model: readonly number[] }
  | { readonly kind: 'variable_count'; readonly checkpoint: number; readonly model: number };

export function describeCheckpointFit(p: CheckpointFitProblem): string {
  switch (p.kind) {
    case 'missing_in_checkpoint':
      return `the model has a variable '${p.variable}' that the checkpoint lacks`;
    case 'missing_in_model':
      return `the checkpoint has a variable '${p.variable}' that this model does not`;
    case 'variable_shape':
      return `variable '${p.variable}' is ${shape(p.checkpoint)} in the checkpoint but ${shape(p.model)} in the model`;
    case 'variable_count':
      return `the checkpoint has ${p.checkpoint} variables, the model ${p.model}`;
  }
}
