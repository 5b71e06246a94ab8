/** Specs → compiled models the bench can time: compiled as variants (generated/ is left alone) and imported. */
import type { AnyCompiledModel } from '../../runtime/model.js';
import { compileVariant, importModule } from '../modules.js';
import type { BenchTarget } from './target.js';

export async function loadModel(target: BenchTarget): Promise<AnyCompiledModel> {
  return (await importModule(compileVariant(target.spec, target.set))).model;
}
