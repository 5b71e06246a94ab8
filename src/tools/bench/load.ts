/** Specs → compiled models the bench can time: compiled as variants (generated/ is left alone) and imported. */
import type { AnyCompiledModel } from '../../runtime/model.js';
import { compileVariant, importModule } from '../modules.js';

/** What one bench row times: a spec with --set overrides, and its place in the reference notebook's table when it has one. */
export interface BenchTarget {
  readonly spec: string;
  readonly set: readonly string[];
  readonly row?: { readonly model: string; readonly layers: number };
}

export async function loadModel(target: BenchTarget): Promise<AnyCompiledModel> {
  return (await importModule(compileVariant(target.spec, target.set))).model;
}
