/**
 * The specs runs were trained from, as the board needs them: the params a
 * spec sets by default (so that a run shows only those it changed) and the
 * graph picture of a run's model. Compiling is the costly part, so results
 * are kept per spec file (and its modification time) or spec text.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkSpec, compileSpecText } from '../../compiler/index.js';
import type { CompileResult } from '../../compiler/index.js';
import { renderGraph } from '../picture/picture.js';
import { isUnder } from './paths.js';

type Params = Readonly<Record<string, unknown>>;

/** Where a run's spec is: a file (as summary.json names it, relative to where graphc ran) or a sweep's copy of its text. */
export type SpecSource = { readonly file: string } | { readonly file: string; readonly text: string };

const MAX_CACHED = 64;
const defaults = new Map<string, Params | undefined>();
const pictures = new Map<string, Promise<string | undefined>>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

function cacheKey(source: SpecSource): string | undefined {
  if ('text' in source) return `text:${source.file}:${source.text}`;
  try {
    return `file:${resolve(source.file)}:${statSync(source.file).mtimeMs}`;
  } catch {
    return undefined;
  }
}

function check(source: SpecSource, set: readonly string[] = []): CompileResult {
  return 'text' in source ? compileSpecText(source.text, source.file, { set, checkOnly: true }) : checkSpec(source.file, { set });
}

/**
 * Whether the board compiles a spec that a run folder names: a YAML file in the
 * working directory's tree or under the board's folders. summary.json is data,
 * and the board opens no file elsewhere because a file says so.
 */
export function specAllowed(file: string, roots: readonly string[]): boolean {
  if (!/\.ya?ml$/i.test(file)) return false;
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return false;
  }
  return [realpathSync(process.cwd()), ...roots].some((root) => isUnder(root, real));
}

/** The spec's own param values; undefined when the spec is not there or does not compile. */
export function specDefaults(source: SpecSource): Params | undefined {
  const key = cacheKey(source);
  if (key === undefined) return undefined;
  if (defaults.has(key)) return defaults.get(key);
  let params: Params | undefined;
  try {
    params = check(source).graph?.params;
  } catch {
    params = undefined;
  }
  return remember(defaults, key, params);
}

/** The params of a run that differ from its spec's defaults (all of them when the spec is not known). */
export function differingParams(params: Params, specParams: Params | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name, value]) => specParams === undefined || JSON.stringify(specParams[name]) !== JSON.stringify(value)));
}

/** The `--set` arguments that turn the spec into the run's model. */
export function overrides(params: Params, specParams: Params | undefined): string[] {
  return Object.entries(differingParams(params, specParams)).map(([name, value]) => `${name}=${String(value)}`);
}

/** `graphc graph`'s SVG of the run's model; undefined when its spec is gone or no longer compiles with its params. */
export function graphPicture(source: SpecSource, params: Params): Promise<string | undefined> {
  const key = cacheKey(source);
  if (key === undefined) return Promise.resolve(undefined);
  const set = overrides(params, specDefaults(source));
  const pictureKey = `${key}|${set.join(' ')}`;
  const cached = pictures.get(pictureKey);
  if (cached) return cached;
  const picture = (async (): Promise<string | undefined> => {
    try {
      const graph = check(source, set).graph;
      return graph ? await renderGraph(graph, 'svg') : undefined;
    } catch {
      return undefined;
    }
  })();
  return remember(pictures, pictureKey, picture);
}
