/** Specs → compiled models the bench can time: compiled as variants (generated/ is left alone) and imported. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileVariant } from '../cli/commands/run.js';
import { fail } from '../diagnostics/diagnostic.js';
import type { AnyCompiledModel } from '../runtime/model.js';

/** What one bench row times: a spec with --set overrides, and its place in the seed's table when it has one. */
export interface BenchTarget {
  readonly spec: string;
  readonly set: readonly string[];
  readonly row?: { readonly model: string; readonly layers: number };
}

export async function loadModel(target: BenchTarget): Promise<AnyCompiledModel> {
  const path = compileVariant(target.spec, target.set);
  try {
    const module = (await import(pathToFileURL(resolve(path)).href)) as { model: AnyCompiledModel };
    return module.model;
  } catch (error) {
    return fail('GC702', { detail: `cannot load ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
  }
}
