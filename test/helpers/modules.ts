/** Compiles spec variants into modules the tests can import. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileVariant } from '../../src/tools/modules.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';

export async function importVariant(spec: string, set: readonly string[]): Promise<AnyCompiledModel> {
  const path = compileVariant(spec, set, '.graphc/test-modules');
  const module = (await import(pathToFileURL(resolve(path)).href)) as { model: AnyCompiledModel };
  return module.model;
}
